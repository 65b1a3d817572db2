using Microsoft.Extensions.Logging;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Transforms;
using OrleansMl.Ml.Torch;
using OrleansMl.Torch;

namespace OrleansMl.Datasets;

/// <summary>Data-parallel torch replicas, one per run, over the partition's cached rows (no copy of the features).</summary>
public sealed partial class PartitionGrain
{
    private readonly Dictionary<string, TorchWorker> _torch = new(StringComparer.Ordinal);

    public async Task<int> TorchStartAsync(TorchWorkerStart start, CancellationToken cancellationToken)
    {
        var rows = await LoadAsync([start.FeatureColumn, start.LabelColumn], cancellationToken);
        var features = Features(rows, start.FeatureColumn, "torch training");
        long[]? classes = null;
        float[]? targets = null;
        var labels = rows[start.LabelColumn];
        if (labels.Nulls is not null)
        {
            throw new ArgumentException($"torch training needs '{start.LabelColumn}' without nulls (partition {_key.Index} has {labels.Nulls.CountNulls()}).");
        }

        if (start.Task == "regression")
        {
            targets = Array.ConvertAll(((Float64Column)ColumnCast.Cast(labels, ColumnType.Float64)).Values.ToArray(), v => (float)v);
        }
        else
        {
            classes = (labels as Int64Column ?? throw new ArgumentException($"torch classification needs '{start.LabelColumn}' to be an int64 label.")).UnsafeArray;
            var outside = Array.FindIndex(classes, c => c < 0 || c >= Math.Max(start.Classes, 2));
            if (outside >= 0)
            {
                throw new ArgumentException($"torch {start.Task}: row {outside + 1} of partition {_key.Index} has label {classes[outside]}, outside 0..{Math.Max(start.Classes, 2) - 1}.");
            }
        }

        var spec = TorchNetworkSpec.FromParameters(start.Params, start.Task, features.Dimension, start.Classes);
        var options = TorchTrainingOptions.FromParameters(start.Params, start.Seed);
        var worker = await Task.Run(
            () =>
            {
                var replica = new TorchWorker(spec, options, features.UnsafeArray, classes, targets, _key.Index);
                if (start.Model is { } model)
                {
                    try
                    {
                        replica.Restore(model, start.Optimizer ?? throw new ArgumentException("A torch replica started from a model needs its optimiser state too."));
                    }
                    catch
                    {
                        replica.Dispose();
                        throw;
                    }
                }

                return replica;
            },
            cancellationToken);
        if (_torch.Remove(start.Run, out var previous))
        {
            previous.Dispose();
        }

        _torch[start.Run] = worker;
        LogReplica(logger, start.Run, _key.Index, worker.Rows, start.Model is not null);
        return worker.Rows;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Torch replica of run {Run} started on partition {Partition} ({Rows} rows, from a checkpoint: {FromCheckpoint})")]
    private static partial void LogReplica(ILogger logger, string run, int partition, int rows, bool fromCheckpoint);

    public Task<TorchWorkerGradient> TorchStepAsync(TorchWorkerStep step, CancellationToken cancellationToken)
    {
        var worker = Replica(step.Run);
        return Task.Run(
            () =>
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                if (step.Apply is { } gradient)
                {
                    worker.ApplyGradient(gradient, step.LearningRate);
                }

                if (step.Batch < 0)
                {
                    return new TorchWorkerGradient([], 0, 0, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
                }

                var (next, rows, loss) = worker.ComputeGradient(step.Epoch, step.Batch);
                return new TorchWorkerGradient(next, rows, loss, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
            },
            cancellationToken);
    }

    public Task<TorchWorkerState> TorchStateAsync(string run)
    {
        var worker = Replica(run);
        return Task.Run(() => new TorchWorkerState(worker.ModelFile(), worker.OptimizerState()));
    }

    public Task TorchStopAsync(string run)
    {
        if (_torch.Remove(run, out var worker))
        {
            worker.Dispose();
        }

        return Task.CompletedTask;
    }

    private TorchWorker Replica(string run) =>
        _torch.TryGetValue(run, out var worker)
            ? worker
            : throw new TorchReplicaMissingException($"Partition {_key.Index} of {_key.Dataset}@{_key.Version} holds no torch replica of run {run} (it was started on another activation).");

    private void StopTorchReplicas()
    {
        foreach (var worker in _torch.Values)
        {
            worker.Dispose();
        }

        _torch.Clear();
    }
}
