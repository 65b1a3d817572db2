using System.Text.Json;
using OrleansMl.Data.Columns;
using OrleansMl.Datasets;

namespace OrleansMl.Experiments.Trainers;

/// <summary>What trainers read about their data: the held-out rows, the class count, the partitions' silos.</summary>
public static class TrainerData
{
    /// <summary>The evaluation rows' feature vectors and labels.</summary>
    public static async Task<(VectorColumn Features, Column Labels)> ReadEvalAsync(RunContext context)
    {
        var spec = context.Spec;
        var eval = await DatasetFiles.ReadAllAsync(context.Store, spec.Eval!.Name, context.Eval, context.CancellationToken);
        var features = eval[spec.FeatureColumn] as VectorColumn
            ?? throw new ArgumentException($"{spec.Trainer} needs '{spec.FeatureColumn}' to be a vector column (assemble one from numeric columns first).");
        return (features, eval[spec.LabelColumn]);
    }

    /// <summary>Classes 0..n-1 of an int64 label: n from the largest label in the training and evaluation data.</summary>
    public static async Task<int> ClassCountAsync(RunContext context, long[] evalLabels)
    {
        using var summary = JsonDocument.Parse(await context.Grains.GetGrain<IDatasetGrain>(context.Spec.Train.Name)
            .DescribeAsync(context.Train.Version, [context.Spec.LabelColumn], context.CancellationToken));
        var max = summary.RootElement.GetProperty("columns")[0].TryGetProperty("max", out var value) && value.ValueKind == JsonValueKind.Number ? (long)value.GetDouble() : 0;
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
