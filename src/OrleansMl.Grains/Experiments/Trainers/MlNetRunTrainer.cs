using Microsoft.ML;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Transforms;
using OrleansMl.Datasets;
using OrleansMl.Ml.Metrics;
using OrleansMl.Ml.MlNet;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Experiments.Trainers;

/// <summary>
/// trainer "mlnet": any supported ML.NET trainer (parameter <c>algorithm</c>, see
/// <see cref="MlNetTrainer.Algorithms"/>) on the full training data in one run, so a sweep fans many
/// of them out over the silos. The run reads every training partition from the store, fits with
/// MLContext(seed), scores the held-out rows with the platform's metrics and saves the model as an
/// ML.NET .zip.
/// </summary>
public sealed class MlNetRunTrainer : IRunTrainer
{
    public string Name => "mlnet";

    public IReadOnlyCollection<string> Tasks { get; } = ["multiclass", "binary", "regression"];

    public void Validate(IReadOnlyDictionary<string, string> parameters)
    {
        var algorithm = parameters.TryGetValue("algorithm", out var a) ? a : null;
        if (algorithm is null || !MlNetTrainer.Algorithms.Values.Any(list => list.Contains(algorithm)))
        {
            throw FieldError.Invalid(
                $"mlnet needs params.algorithm, one of {string.Join("; ", MlNetTrainer.Algorithms.Select(p => $"{p.Key}: {string.Join(", ", p.Value)}"))}; got '{algorithm}'.",
                "params.algorithm");
        }
    }

    public async Task<RunOutcome> TrainAsync(RunContext context)
    {
        var spec = context.Spec;
        var algorithm = context.String("algorithm", "");
        if (!MlNetTrainer.Algorithms[spec.Task].Contains(algorithm))
        {
            throw new ArgumentException($"mlnet: '{algorithm}' does not do {spec.Task}. Algorithms: {string.Join(", ", MlNetTrainer.Algorithms[spec.Task])}.");
        }

        var train = await DatasetFiles.ReadAllAsync(context.Store, spec.Train.Name, context.Train, context.CancellationToken);
        var (evalFeatures, evalLabels) = await TrainerData.ReadEvalAsync(context);
        var features = train[spec.FeatureColumn] as VectorColumn ?? throw new ArgumentException($"mlnet needs '{spec.FeatureColumn}' to be a vector column.");
        var labels = ((Float64Column)ColumnCast.Cast(train[spec.LabelColumn], ColumnType.Float64)).Values.ToArray();
        var ml = new MLContext(seed: (int)(spec.Seed & int.MaxValue));
        var parameters = context.Request.Params.Where(p => p.Key != "algorithm").ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

        var (model, schema) = await Task.Run(() => MlNetTrainer.Train(ml, spec.Task, algorithm, features.UnsafeArray, features.Dimension, labels, parameters), context.CancellationToken);
        var (predicted, scores) = MlNetTrainer.Predict(ml, model, spec.Task, evalFeatures.UnsafeArray, evalFeatures.Dimension);
        var evaluation = await ScoreAsync(context, spec.Task, evalLabels, predicted, scores);
        await context.Metrics.LogAsync(0, evaluation.Metrics, context.CancellationToken);

        var path = context.ArtifactPath("model.zip");
        using (var zip = new MemoryStream())
        {
            ml.Model.Save(model, schema, zip);
            zip.Position = 0;
            await context.Store.WriteAsync(path, zip, ArtifactWriteCondition.None, context.CancellationToken);
        }

        var artifacts = new Dictionary<string, string> { ["model"] = path };
        await evaluation.AddConfusionAsync(context, artifacts);
        return new RunOutcome(evaluation.Metrics, artifacts);
    }

    /// <summary>
    /// Held-out scores for predicted classes (and probabilities) or predicted values, by task. A multiclass
    /// caller that knows its class count passes it (<paramref name="classes"/>); otherwise it is looked up.
    /// </summary>
    internal static async Task<EvalScores> ScoreAsync(RunContext context, string task, Column labels, long[] predicted, float[] scores, int? classes = null)
    {
        if (task == "regression")
        {
            return EvalScores.Regression(((Float64Column)ColumnCast.Cast(labels, ColumnType.Float64)).Values, Array.ConvertAll(scores, v => (double)v));
        }

        var actual = (labels as Int64Column ?? throw new ArgumentException("mlnet classification needs an int64 label column.")).UnsafeArray;
        if (task == "binary")
        {
            return EvalScores.Binary(actual, scores);
        }

        var count = classes ?? await TrainerData.ClassCountAsync(context, actual);
        return EvalScores.Multiclass(actual, predicted, scores.Length == predicted.Length * count ? scores : [], count);
    }
}
