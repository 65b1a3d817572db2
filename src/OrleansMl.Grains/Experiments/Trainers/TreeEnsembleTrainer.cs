using System.Numerics.Tensors;
using Microsoft.ML;
using OrleansMl.Datasets;
using OrleansMl.Linear;
using OrleansMl.Ml.MlNet;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Experiments.Trainers;

/// <summary>
/// trainer "tree_ensemble": one tree model (LightGBM or FastTree, parameter <c>algorithm</c>) per
/// training partition, each fitted by its partition grain on its own rows at the same time; the
/// ensemble averages the members' class probabilities (or predictions). Every partition must hold
/// every class. The members are saved as ML.NET .zip files under the run's <c>ensemble/</c> folder.
/// </summary>
public sealed class TreeEnsembleTrainer : IRunTrainer
{
    public string Name => "tree_ensemble";

    public IReadOnlyCollection<string> Tasks { get; } = ["multiclass", "binary", "regression"];

    public void Validate(IReadOnlyDictionary<string, string> parameters)
    {
        if (parameters.TryGetValue("algorithm", out var algorithm) && algorithm is not ("lightgbm" or "fasttree"))
        {
            throw FieldError.Invalid($"tree_ensemble: algorithm must be lightgbm or fasttree; got '{algorithm}'.", "params.algorithm");
        }
    }

    public async Task<RunOutcome> TrainAsync(RunContext context)
    {
        var spec = context.Spec;
        var algorithm = context.String("algorithm", "lightgbm") switch
        {
            "fasttree" when spec.Task == "multiclass" => "fasttree_ova",
            var name => name,
        };
        var parameters = context.Request.Params.Where(p => p.Key != "algorithm").ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var request = new LocalModelRequest(spec.FeatureColumn, spec.LabelColumn, spec.Task, algorithm, parameters, (int)(spec.Seed & int.MaxValue));
        await TrainerData.RecordPartitionSilosAsync(context);
        var members = await Task.WhenAll(DatasetFiles.Partitions(context.Grains, spec.Train.Name, context.Train)
            .Select(p => p.TrainLocalModelAsync(request, context.CancellationToken)));

        var (features, labels) = await TrainerData.ReadEvalAsync(context);
        var ml = new MLContext((int)(spec.Seed & int.MaxValue));
        float[]? sum = null;
        var artifacts = new Dictionary<string, string>();
        for (var i = 0; i < members.Length; i++)
        {
            var path = context.ArtifactPath($"ensemble/part-{i:D5}.zip");
            await context.Store.WriteAsync(path, new MemoryStream(members[i]), ArtifactWriteCondition.None, context.CancellationToken);
            artifacts[$"member{i}"] = path;
            var model = ml.Model.Load(new MemoryStream(members[i]), out _);
            var (_, scores) = MlNetTrainer.Predict(ml, model, spec.Task, features.UnsafeArray, features.Dimension);
            if (sum is not null && scores.Length != sum.Length)
            {
                throw new InvalidOperationException($"Partition {i}'s model scores {scores.Length / features.Length} classes, another {sum.Length / features.Length}: every partition needs every class (use fewer partitions).");
            }

            sum ??= new float[scores.Length];
            TensorPrimitives.Add(sum, scores, sum);
        }

        TensorPrimitives.Multiply(sum!, 1f / members.Length, sum!);
        var width = sum!.Length / features.Length;
        var predicted = new long[features.Length];
        for (var r = 0; r < predicted.Length; r++)
        {
            predicted[r] = spec.Task == "multiclass" ? TensorPrimitives.IndexOfMax(sum.AsSpan(r * width, width)) : sum[r] > 0.5f ? 1 : 0;
        }

        var evaluation = await MlNetRunTrainer.ScoreAsync(context, spec.Task, labels, predicted, sum);
        evaluation.Metrics["members"] = members.Length;
        await context.Metrics.LogAsync(0, evaluation.Metrics, context.CancellationToken);
        await evaluation.AddConfusionAsync(context, artifacts);
        return new RunOutcome(evaluation.Metrics, artifacts);
    }
}
