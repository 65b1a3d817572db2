using System.Text.Json;
using OrleansMl.Data.Columns;
using OrleansMl.Datasets;

namespace OrleansMl.Experiments.Trainers;

/// <summary>What trainers read about their data: the held-out rows, the class count, the partitions' silos.</summary>
public static class TrainerData
{
    /// <summary>
    /// The evaluation rows' feature vectors and labels. Through fitted steps, a classifier's label of a
    /// class the training rows never had is null; it becomes <see cref="Ml.Metrics.ClassificationMetrics.Unseen"/>
    /// (scored as wrong, never as another class) and is counted in <see cref="RunContext.UnseenEvalRows"/>.
    /// </summary>
    public static async Task<(VectorColumn Features, Column Labels)> ReadEvalAsync(RunContext context)
    {
        var spec = context.Spec;
        var eval = await DatasetFiles.ReadAllAsync(context.Store, spec.Eval!.Name, context.Eval, context.CancellationToken);
        var features = eval[spec.FeatureColumn] as VectorColumn
            ?? throw new ArgumentException($"{spec.Trainer} needs '{spec.FeatureColumn}' to be a vector column (assemble one from numeric columns first).");
        var labels = eval[spec.LabelColumn];
        if (context.Pipeline?.Classes is not null && labels is Int64Column { Nulls: { } nulls } keys)
        {
            var values = keys.Values.ToArray();
            long unseen = 0;
            for (var row = 0; row < values.Length; row++)
            {
                if (nulls[row])
                {
                    values[row] = Ml.Metrics.ClassificationMetrics.Unseen;
                    unseen++;
                }
            }

            context.UnseenEvalRows = unseen;
            labels = new Int64Column(keys.Schema, values);
        }

        return (features, labels);
    }

    /// <summary>
    /// The class count: through fitted steps, the training rows' classes; otherwise classes 0..n-1 of an
    /// int64 label, n from the largest label in the training and evaluation data.
    /// </summary>
    public static async Task<int> ClassCountAsync(RunContext context, long[] evalLabels) =>
        ClassCount(context, await TrainingClassCountAsync(context), evalLabels);

    /// <summary>The class count of the training rows alone (a describe of the label column, which the partitions answer from that column only).</summary>
    public static async Task<int> TrainingClassCountAsync(RunContext context)
    {
        if (context.Pipeline?.Classes is { } classes)
        {
            return classes.Count;
        }

        using var summary = JsonDocument.Parse(await context.Grains.GetGrain<IDatasetGrain>(context.Spec.Train.Name)
            .DescribeAsync(context.Train.Version, [context.Spec.LabelColumn], context.CancellationToken));
        var max = summary.RootElement.GetProperty("columns")[0].TryGetProperty("max", out var value) && value.ValueKind == JsonValueKind.Number ? (long)value.GetDouble() : 0;
        return checked((int)max + 1);
    }

    /// <summary><see cref="ClassCountAsync"/> from the training rows' count: widened by the evaluation labels unless fitted steps fixed the classes.</summary>
    public static int ClassCount(RunContext context, int trainingClasses, long[] evalLabels)
    {
        if (context.Pipeline?.Classes is not null)
        {
            return trainingClasses;
        }

        long max = trainingClasses - 1;
        foreach (var label in evalLabels)
        {
            max = Math.Max(max, label);
        }

        return checked((int)max + 1);
    }

    /// <summary>Records the silos of the training partitions as silos that worked for the run.</summary>
    public static async Task RecordPartitionSilosAsync(RunContext context)
    {
        foreach (var partition in await context.Grains.GetGrain<IDatasetGrain>(context.Spec.Train.Name).GetPartitionsAsync(context.Train.Version))
        {
            context.WorkedOn(partition.Silo);
        }
    }

    public static Task WriteJsonAsync(RunContext context, string path, object value) =>
        context.Store.WriteAsync(path, new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(value)), Storage.Artifacts.ArtifactWriteCondition.None, context.CancellationToken);
}
