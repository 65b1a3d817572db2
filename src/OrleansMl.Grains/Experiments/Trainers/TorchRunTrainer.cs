using System.Diagnostics;
using System.Numerics.Tensors;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Transforms;
using OrleansMl.Datasets;
using OrleansMl.Ml.Torch;
using OrleansMl.Storage.Artifacts;
using OrleansMl.Torch;

namespace OrleansMl.Experiments.Trainers;

/// <summary>
/// trainer "torch": a neural network on LibTorch (TorchSharp, CPU) — an MLP, a LeNet-sized CNN or a
/// ResNet-8 (<see cref="TorchNetworkSpec"/>), trained with SGD, Adam or AdamW and a learning-rate schedule
/// (<see cref="TorchTrainingOptions"/>). <c>workers</c> <c>run</c> (default) trains in the run's silo on the
/// rows it gathers; <c>partitions</c> trains synchronously data-parallel with one replica in each training
/// partition grain, next to its rows: every step each replica computes the gradient of its batch, this
/// coordinator averages them weighted by rows (a reduction tree of depth one: see docs/architecture.md) and
/// every replica applies the same average with the same optimiser, so all hold the same weights. Every
/// epoch logs loss, learning rate, samples/s and the held-out metrics (flushed, so <c>watch</c> and the UI
/// see them as they come) and rewrites <c>model.torch</c> (<see cref="TorchModelFile"/>).
/// </summary>
public sealed class TorchRunTrainer : IRunTrainer
{
    public static readonly string[] WorkerModes = ["run", "partitions"];

    public string Name => "torch";

    public IReadOnlyCollection<string> Tasks { get; } = ["multiclass", "binary", "regression"];

    public bool ReportsEpochs => true;

    public void Validate(IReadOnlyDictionary<string, string> parameters)
    {
        try
        {
            // The input size and the classes are known only when a run reads its data: the image's size (or a
            // 28×28 image) and two classes stand in; the run checks them against the data.
            TorchNetworkSpec.FromParameters(parameters, "multiclass", StandInDimension(parameters), 2);
            TorchTrainingOptions.FromParameters(parameters, 0);
            if (parameters.TryGetValue("checkpoint_steps", out var every) && !(int.TryParse(every, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var steps) && steps is >= 0 and <= 1_000_000))
            {
                throw new ArgumentException($"params.checkpoint_steps must be a whole number from 0 (at each epoch's end only) to 1000000; got '{every}'.");
            }

            if (parameters.TryGetValue("workers", out var workers) && !WorkerModes.Contains(workers))
            {
                throw new ArgumentException($"params.workers must be run (train in the run's silo) or partitions (one data-parallel replica per training partition); got '{workers}'.");
            }
        }
        catch (ArgumentException e)
        {
            throw FieldError.Invalid(e.Message, e.Message.StartsWith("params.", StringComparison.Ordinal) ? e.Message[..e.Message.IndexOf(' ', StringComparison.Ordinal)] : "params");
        }
    }

    public async Task<RunOutcome> TrainAsync(RunContext context)
    {
        var spec = context.Spec;
        var (evalFeatures, evalLabels) = await Task.Run(() => TrainerData.ReadEvalAsync(context), context.CancellationToken);
        var classes = spec.Task switch
        {
            "multiclass" => await TrainerData.ClassCountAsync(context, (evalLabels as Int64Column ?? throw new ArgumentException($"torch classification needs '{spec.LabelColumn}' to be an int64 label (use to_key on text labels).")).UnsafeArray),
            "binary" => 2,
            _ => 0,
        };
        var dimension = context.Train.Columns.SingleOrDefault(c => c.Name == spec.FeatureColumn)?.VectorLength ?? evalFeatures.Dimension;
        var network = TorchNetworkSpec.FromParameters(context.Request.Params, spec.Task, dimension, classes);
        var options = TorchTrainingOptions.FromParameters(context.Request.Params, spec.Seed);
        var modelPath = context.ArtifactPath("model.torch");
        EvalScores? evaluation = null;
        var lastEpoch = new Dictionary<string, double>();
        var metric = MetricNames.Resolve(spec.Task, spec.Metric);
        var experiment = context.Grains.GetGrain<IExperimentGrain>(context.Request.Experiment);
        (int Epoch, string Reason)? stopped = null;
        var rates = new List<double>();

        // Evaluates, logs and saves the epoch's model; false when the experiment's stopping rule ends the run here.
        async Task<bool> EpochEndAsync(TorchEpoch epoch, byte[] model, IReadOnlyDictionary<string, double> more)
        {
            // Scoring the held-out rows takes seconds: off the grain's scheduler.
            var (predicted, scores) = await Task.Run(
                () =>
                {
                    using var scorer = TorchScorer.Load(model);
                    var labels = new long[evalFeatures.Length];
                    var values = new float[evalFeatures.Length * scorer.ScoreWidth];
                    scorer.Score(evalFeatures.Values, labels, values);
                    return (labels, values);
                },
                context.CancellationToken);
            evaluation = await MlNetRunTrainer.ScoreAsync(context, spec.Task, evalLabels, predicted, scores, classes); // the class count once per run, not a describe per epoch

            var metrics = new Dictionary<string, double>(evaluation.Metrics)
            {
                ["loss"] = epoch.Loss,
                ["learning_rate"] = epoch.LearningRate,
                ["samples_per_second"] = epoch.SamplesPerSecond,
                ["epoch"] = epoch.Epoch,
            };
            foreach (var (name, extra) in more)
            {
                metrics[name] = extra;
            }

            lastEpoch = metrics;
            rates.Add(epoch.SamplesPerSecond);
            await context.Metrics.LogAsync(epoch.Steps, metrics, context.CancellationToken);
            await context.Metrics.FlushAsync(context.CancellationToken);
            await context.Store.WriteAsync(modelPath, new MemoryStream(model), ArtifactWriteCondition.None, context.CancellationToken);

            // Every epoch is reported (the rule compares runs epoch by epoch); the last one cannot stop early.
            if (evaluation.Metrics.TryGetValue(metric, out var value)
                && await experiment.ReportEpochAsync(context.Request.Index, epoch.Epoch, value) is { } reason && epoch.Epoch < options.Epochs)
            {
                stopped = (epoch.Epoch, reason);
                await TrainerData.WriteJsonAsync(context, context.ArtifactPath("stopping.json"), new { epoch = epoch.Epoch, metric, value, reason });
                return false;
            }

            return true;
        }

        if (context.String("workers", "run") == "partitions")
        {
            await TrainAcrossPartitionsAsync(context, options, classes, EpochEndAsync);
        }
        else
        {
            await TrainHereAsync(context, network, options, classes, EpochEndAsync);
        }

        // The run's metrics: the last epoch's held-out ones, with its loss, throughput and (data-parallel) workers.
        var final = evaluation!.Metrics;
        foreach (var name in (string[])["loss", "samples_per_second", "workers", "allreduce_ms_per_step", "recoveries"])
        {
            if (lastEpoch.TryGetValue(name, out var value))
            {
                final[name] = value;
            }
        }

        final["epochs"] = stopped?.Epoch ?? options.Epochs;
        final["samples_per_second_median"] = StoppingRule.Quantile([.. rates], 0.5); // steadier than the last epoch's
        var artifacts = new Dictionary<string, string> { ["model"] = modelPath };
        if (stopped is not null)
        {
            final["stopped_early"] = 1;
            artifacts["stopping"] = context.ArtifactPath("stopping.json");
        }

        if (await context.Store.GetInfoAsync(context.ArtifactPath("checkpoint.torch"), context.CancellationToken) is not null)
        {
            artifacts["checkpoint"] = context.ArtifactPath("checkpoint.torch");
        }

        await evaluation.AddConfusionAsync(context, artifacts);
        return new RunOutcome(final, artifacts);
    }

    private static async Task TrainHereAsync(RunContext context, TorchNetworkSpec network, TorchTrainingOptions options, int classCount, Func<TorchEpoch, byte[], IReadOnlyDictionary<string, double>, Task<bool>> epochEnd)
    {
        var spec = context.Spec;
        // Decoding every training partition takes seconds: off the grain's scheduler.
        var train = await Task.Run(() => DatasetFiles.ReadAllAsync(context.Store, spec.Train.Name, context.Train, context.CancellationToken), context.CancellationToken);
        var features = train[spec.FeatureColumn] as VectorColumn ?? throw new ArgumentException($"torch needs '{spec.FeatureColumn}' to be a vector column.");
        if (features.Nulls is not null)
        {
            throw new ArgumentException($"torch needs '{spec.FeatureColumn}' without nulls ({features.CountNulls()} training rows have none).");
        }

        long[]? classes = null;
        float[]? targets = null;
        if (spec.Task == "regression")
        {
            targets = Array.ConvertAll(((Float64Column)ColumnCast.Cast(train[spec.LabelColumn], ColumnType.Float64)).Values.ToArray(), v => (float)v);
        }
        else
        {
            classes = (train[spec.LabelColumn] as Int64Column ?? throw new ArgumentException($"torch classification needs '{spec.LabelColumn}' to be an int64 label (use to_key on text labels).")).Values.ToArray();
            var outside = Array.FindIndex(classes, c => c < 0 || c >= classCount);
            if (outside >= 0)
            {
                throw new ArgumentException($"torch {spec.Task}: training row {outside + 1} has label {classes[outside]}, outside 0..{classCount - 1}.");
            }
        }

        // A run started again (its silo died) goes on from the last epoch's checkpoint.
        using var model = TorchNetworks.Build(network, spec.Seed);
        var checkpointPath = context.ArtifactPath("checkpoint.torch");
        var resume = await ReadCheckpointAsync(context, checkpointPath);
        var none = new Dictionary<string, double>();
        await TorchTraining.TrainAsync(model, network, options, features.UnsafeArray, classes, targets, resume, async (epoch, optimizerState) =>
        {
            var (bytes, state) = await Task.Run(
                () =>
                {
                    model.eval();
                    return (TorchModelFile.Write(network, model), optimizerState());
                },
                context.CancellationToken);

            // Not after the last epoch: a run that dies after it trains the last epoch again, with its evaluation.
            if (epoch.Epoch < options.Epochs)
            {
                var checkpoint = new TorchCheckpoint(epoch.Steps, epoch.Epoch, 0, bytes, state).ToBytes();
                await context.Store.WriteAsync(checkpointPath, new MemoryStream(checkpoint), ArtifactWriteCondition.None, context.CancellationToken);
            }

            return await epochEnd(epoch, bytes, none);
        }, context.CancellationToken);
    }

    /// <summary>
    /// Synchronous data parallelism over the training partitions. Each step is one call to every replica that
    /// applies the last average and computes the next gradient; a step's time beyond its slowest replica's
    /// work is the all-reduce's cost (messages and averaging), reported per epoch as <c>allreduce_ms_per_step</c>.
    /// Epochs have as many steps as the largest partition has batches; a replica whose rows are used up adds
    /// no rows to the average for the rest of the epoch. The epoch's model is replica 0's.
    /// Checkpoints (weights, optimiser state, position) go to the store at every epoch's end and every
    /// <c>checkpoint_steps</c> steps. When a replica is lost (its silo died, its grain moved), every replica
    /// starts again from the last checkpoint — on the silos that remain, where the partitions come back —
    /// and training goes on from there, at most <see cref="MaxRecoveries"/> times a run; a run started again
    /// (its own silo died) resumes from the checkpoint too.
    /// </summary>
    private static async Task TrainAcrossPartitionsAsync(RunContext context, TorchTrainingOptions options, int classes, Func<TorchEpoch, byte[], IReadOnlyDictionary<string, double>, Task<bool>> epochEnd)
    {
        var spec = context.Spec;
        var cancellationToken = context.CancellationToken;
        var partitions = DatasetFiles.Partitions(context.Grains, spec.Train.Name, context.Train);
        await TrainerData.RecordPartitionSilosAsync(context);
        var run = context.RunId;
        var every = context.Int("checkpoint_steps", 0);
        var checkpointPath = context.ArtifactPath("checkpoint.torch");
        var checkpoint = await ReadCheckpointAsync(context, checkpointPath);
        var start = new TorchWorkerStart(run, spec.FeatureColumn, spec.LabelColumn, spec.Task, classes, context.Request.Params, spec.Seed, 0);

        async Task<int> StartReplicasAsync()
        {
            var rows = await Task.WhenAll(partitions.Select((p, i) => p.TorchStartAsync(start with { Partition = i, Model = checkpoint?.Model, Optimizer = checkpoint?.Optimizer }, cancellationToken)));
            return rows.Sum() == 0 ? throw new ArgumentException("torch: the training partitions hold no rows.") : (rows.Max() + options.BatchSize - 1) / options.BatchSize;
        }

        async Task<TorchCheckpoint> CheckpointAsync(long step, int epoch, int batch)
        {
            var state = await partitions[0].TorchStateAsync(run);
            var taken = new TorchCheckpoint(step, epoch, batch, state.Model, state.Optimizer);
            await context.Store.WriteAsync(checkpointPath, new MemoryStream(taken.ToBytes()), ArtifactWriteCondition.None, cancellationToken);
            return taken;
        }

        try
        {
            var stepsPerEpoch = await StartReplicasAsync();
            var (epoch, batch, step) = checkpoint is null ? (0, 0, 0L) : (checkpoint.Epoch, checkpoint.Batch, checkpoint.Step);
            float[]? pending = null;
            var pendingRate = 0.0;
            var (started, seen, lossSum, overhead, steps, recoveries) = (Stopwatch.GetTimestamp(), 0L, 0.0, 0.0, 0, 0);
            while (epoch < options.Epochs)
            {
                try
                {
                    if (batch < stepsPerEpoch)
                    {
                        var rate = options.Schedule.At(step, stepsPerEpoch);
                        var message = new TorchWorkerStep(run, pending, pendingRate, epoch, batch);
                        var stepStarted = Stopwatch.GetTimestamp();
                        var parts = await Task.WhenAll(partitions.Select(p => p.TorchStepAsync(message, cancellationToken)));
                        (pending, var total, var loss) = Average(parts);
                        overhead += Stopwatch.GetElapsedTime(stepStarted).TotalSeconds - parts.Max(p => p.Seconds);
                        (pendingRate, batch, step, seen, lossSum, steps) = (rate, batch + 1, step + 1, seen + total, lossSum + loss, steps + 1);
                        if (total > 0)
                        {
                            await context.Metrics.LogAsync(step, new Dictionary<string, double> { ["step_loss"] = loss / total, ["learning_rate"] = rate }, cancellationToken);
                        }

                        if (every > 0 && step % every == 0 && batch < stepsPerEpoch)
                        {
                            await ApplyEverywhereAsync(partitions, run, pending, pendingRate, cancellationToken);
                            pending = null;
                            checkpoint = await CheckpointAsync(step, epoch, batch);
                        }

                        continue;
                    }

                    // The epoch's end: its last average applied everywhere, then a checkpoint and the epoch's model.
                    await ApplyEverywhereAsync(partitions, run, pending, pendingRate, cancellationToken);
                    pending = null;
                    checkpoint = await CheckpointAsync(step, epoch + 1, 0);
                    var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                    var goOn = await epochEnd(
                        new TorchEpoch(epoch + 1, lossSum / Math.Max(seen, 1), pendingRate, seen / Math.Max(seconds, 1e-9), step),
                        checkpoint.Model,
                        new Dictionary<string, double> { ["workers"] = partitions.Length, ["allreduce_ms_per_step"] = 1000 * overhead / Math.Max(steps, 1), ["recoveries"] = recoveries });
                    if (!goOn)
                    {
                        break;
                    }

                    (epoch, batch) = (epoch + 1, 0);
                    (started, seen, lossSum, overhead, steps) = (Stopwatch.GetTimestamp(), 0L, 0.0, 0.0, 0);
                }
                catch (Exception e) when (IsReplicaLoss(e) && recoveries < MaxRecoveries && !cancellationToken.IsCancellationRequested)
                {
                    recoveries++;
                    stepsPerEpoch = await ClusterFailures.RetryAsync(StartReplicasAsync);
                    (epoch, batch, step) = checkpoint is null ? (0, 0, 0L) : (checkpoint.Epoch, checkpoint.Batch, checkpoint.Step);
                    pending = null;
                    await context.Metrics.LogAsync(step, new Dictionary<string, double> { ["recoveries"] = recoveries }, cancellationToken);
                }
            }
        }
        finally
        {
            await Task.WhenAll(partitions.Select(p => p.TorchStopAsync(run)));
        }
    }

    /// <summary>Replicas lost and started again from the last checkpoint, at most, in one run attempt.</summary>
    public const int MaxRecoveries = 3;

    private static bool IsReplicaLoss(Exception e) => ClusterFailures.IsTransient(e) || e is TorchReplicaMissingException || e.InnerException is TorchReplicaMissingException;

    private static Task ApplyEverywhereAsync(IPartitionGrain[] partitions, string run, float[]? pending, double rate, CancellationToken cancellationToken)
    {
        var apply = new TorchWorkerStep(run, pending, rate, 0, -1);
        return Task.WhenAll(partitions.Select(p => p.TorchStepAsync(apply, cancellationToken)));
    }

    private static async Task<TorchCheckpoint?> ReadCheckpointAsync(RunContext context, string path)
    {
        if (await context.Store.GetInfoAsync(path, context.CancellationToken) is null)
        {
            return null;
        }

        await using var content = await context.Store.OpenReadAsync(path, context.CancellationToken);
        using var bytes = new MemoryStream();
        await content.CopyToAsync(bytes, context.CancellationToken);
        return TorchCheckpoint.FromBytes(bytes.ToArray());
    }

    /// <summary>The replicas' gradients averaged by their batch rows: the gradient of the mean loss over the union of their batches.</summary>
    internal static (float[]? Average, int Rows, double LossSum) Average(TorchWorkerGradient[] parts)
    {
        var rows = parts.Sum(p => p.Rows);
        var loss = parts.Sum(p => p.LossSum);
        if (rows == 0)
        {
            return (null, 0, 0);
        }

        var average = new float[parts.First(p => p.Rows > 0).Gradient.Length];
        foreach (var part in parts)
        {
            if (part.Rows > 0)
            {
                TensorPrimitives.MultiplyAdd(part.Gradient, (float)part.Rows / rows, average, average);
            }
        }

        return (average, rows, loss);
    }

    private static int StandInDimension(IReadOnlyDictionary<string, string> parameters)
    {
        var sides = parameters.TryGetValue("image", out var image) ? image.Split('x') : [];
        return sides.Length == 3 && sides.All(s => int.TryParse(s, out var n) && n is >= 1 and <= 4096) ? sides.Aggregate(1, (size, s) => size * int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)) : 28 * 28;
    }
}
