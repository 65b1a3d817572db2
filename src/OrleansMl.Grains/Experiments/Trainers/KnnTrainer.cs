using OrleansMl.Data.Columns;
using OrleansMl.Knn;
using OrleansMl.Ml.Metrics;

namespace OrleansMl.Experiments.Trainers;

/// <summary>
/// trainer "knn": the exact distributed k-NN classifier. Training is nothing — the model is the
/// training partitions — so a run evaluates: the held-out rows are classified through every
/// partition grain and scored. Parameters: k (5), distance (l2 | l1 | cosine), weighting (uniform | distance).
/// </summary>
public sealed class KnnTrainer : IRunTrainer
{
    public string Name => "knn";

    public IReadOnlyCollection<string> Tasks { get; } = ["multiclass"];

    public void Validate(IReadOnlyDictionary<string, string> parameters)
    {
        if (parameters.TryGetValue("k", out var k) && (!int.TryParse(k, out var value) || value is < 1 or > 1000))
        {
            throw FieldError.Invalid($"knn: parameter k must be a whole number from 1 to 1000; got '{k}'.", "params.k");
        }

        if (parameters.TryGetValue("distance", out var distance))
        {
            try
            {
                KnnDistances.Parse(distance);
            }
            catch (ArgumentException e)
            {
                throw FieldError.Invalid($"knn: {e.Message}", "params.distance");
            }
        }

        if (parameters.TryGetValue("weighting", out var weighting) && weighting is not ("uniform" or "distance"))
        {
            throw FieldError.Invalid($"knn: weighting must be uniform or distance; got '{weighting}'.", "params.weighting");
        }
    }

    public async Task<RunOutcome> TrainAsync(RunContext context)
    {
        var spec = context.Spec;
        var options = new KnnClassifierOptions(spec.FeatureColumn, spec.LabelColumn, context.Int("k", 5), context.String("distance", "l2"),
            context.String("weighting", "uniform") == "distance");

        // The training classes are counted first (the partitions read only their label column for it), then the partitions
        // load their rows and build their indexes while the held-out rows are read.
        var trainingClasses = TrainerData.TrainingClassCountAsync(context);
        var dimension = context.Train.Columns.SingleOrDefault(c => c.Name == spec.FeatureColumn)?.VectorLength ?? 0;
        var loading = dimension > 0 ? new DistributedKnnClassifier(context.Grains, spec.Train.Name, context.Train, options).LoadAsync(dimension, context.CancellationToken) : Task.CompletedTask;
        var (queries, labelColumn) = await TrainerData.ReadEvalAsync(context);
        var truth = (labelColumn as Int64Column ?? throw new ArgumentException($"knn needs '{spec.LabelColumn}' to be an int64 label column.")).Values.ToArray();
        var classes = TrainerData.ClassCount(context, await trainingClasses, truth);
        options = options with { Classes = classes };
        await TrainerData.RecordPartitionSilosAsync(context);
        await loading;

        var prediction = await new DistributedKnnClassifier(context.Grains, spec.Train.Name, context.Train, options)
            .PredictAsync(queries.UnsafeArray, queries.Dimension, context.CancellationToken);
        var evaluation = EvalScores.Multiclass(truth, prediction.Labels, prediction.Scores, classes);
        await context.Metrics.LogAsync(0, evaluation.Metrics, context.CancellationToken);

        var model = context.ArtifactPath("model.json");
        await TrainerData.WriteJsonAsync(context, model, new { type = "knn", dataset = spec.Train.Name, version = context.Train.Version, spec.FeatureColumn, spec.LabelColumn, options.K, options.Distance, options.DistanceWeighted, classes });
        var artifacts = new Dictionary<string, string> { ["model"] = model };
        await evaluation.AddConfusionAsync(context, artifacts);
        return new RunOutcome(evaluation.Metrics, artifacts);
    }
}
