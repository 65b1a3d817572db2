using Orleans.Concurrency;
using Microsoft.Extensions.Logging;
using OrleansMl.Datasets;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Experiments;

/// <summary>
/// Runs one trial in the background. Its state (request, status, metrics) is durable, so when its
/// silo dies the next call — the experiment's watchdog calls every few seconds — activates it on
/// another silo, which sees a run still marked running and starts it again as a new attempt; an
/// iterative trainer resumes from its last checkpoint.
/// </summary>
[GrainType("orleansml.run")]
[Reentrant]
public sealed partial class RunGrain(
    [PersistentState("run", GrainStorageNames.Metadata)] IPersistentState<RunState> state,
    TrainerRegistry trainers,
    IArtifactStore store,
    ILocalSiloDetails silo,
    TimeProvider timeProvider,
    Telemetry.PlatformMetrics platformMetrics,
    ILogger<RunGrain> logger) : Grain, IRunGrain
{
    private readonly SerializedStateWriter<RunState> _writer = new(state);
    private readonly CancellationTokenSource _cancel = new();
    private Task? _training;

    /// <summary>Set when a deactivation stops the training: its end is then a handover, not a cancellation or a failure.</summary>
    private volatile bool _handingOver;

    public Task<byte[]?> ExportStateAsync() => Backups.GrainStateBackup.ExportAsync(this, state);

    public Task RestoreStateAsync(byte[] snapshot) => Backups.GrainStateBackup.RestoreAsync(this, state, snapshot);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State is { Request: { } request, Info.Summary.Status: RunSummary.Running })
        {
            // The silo that ran this died: this activation takes over, unless the run has taken silos
            // down before (a poison run: one that runs a silo out of memory would take them all in turn).
            // A run handed over by a silo that shut down cleanly lost nothing, and is not counted.
            if (state.State.HandedOver)
            {
                state.State.HandedOver = false;
            }
            else if (state.State.Takeovers >= MaxTakeovers)
            {
                var silos = string.Join(", ", state.State.Info!.Silos);
                await FinishAsync(RunSummary.Failed, new Dictionary<string, double>(), new Dictionary<string, string>(),
                    $"The run's silo stopped {MaxTakeovers + 1} times while it trained (on {silos}); it is not started again. It may need more memory than a silo has: use fewer rows per partition, a smaller model, or larger silos.");
                LogPoison(logger, this.GetPrimaryKeyString(), MaxTakeovers + 1);
                return;
            }
            else
            {
                state.State.Takeovers++;
            }

            Update(info => info with { Attempts = info.Attempts + 1, Silos = [.. info.Silos.Append(Silo).Distinct()] });
            await state.WriteStateAsync(cancellationToken);
            LogResumed(logger, this.GetPrimaryKeyString(), state.State.Info!.Attempts);
            _training = TrainAsync(request);
        }
    }

    /// <summary>
    /// A deactivation while the run trains (its silo shuts down on SIGTERM, a rolling restart, a scale-in) stops the
    /// training, waits for it to end (within the deactivation's time) and writes that the run was handed over: the
    /// experiment's watchdog activates it on another silo, which continues from the last checkpoint without counting
    /// a lost silo, and no training of this activation runs on beside the next one.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_training is not { IsCompleted: false } || state.State.Info is not { Summary.IsFinished: false })
        {
            return;
        }

        _handingOver = true;
        await _cancel.CancelAsync();
        try
        {
            await _training.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Out of time: what the training wrote last stays; the next activation continues from it.
        }

        if (state.State.Info is { Summary.IsFinished: false })
        {
            state.State.HandedOver = true;
            await WriteAsync();
            LogHandedOver(logger, this.GetPrimaryKeyString(), reason.ReasonCode.ToString());
        }
    }

    public async Task StartAsync(RunRequest request)
    {
        if (state.State.Info is not null)
        {
            return; // started already: a retried call must not start a second training
        }

        var id = this.GetPrimaryKeyString();
        state.State.Request = request;
        state.State.Info = new RunInfo(
            new RunSummary(id, request.Index, request.Params, RunSummary.Running, new Dictionary<string, double>(), null, null),
            request.Experiment, request.Spec.Trainer, [Silo], 1, timeProvider.GetUtcNow(), null,
            MetricLog.PrefixOf(request.Experiment, request.Index), new Dictionary<string, string>());
        await WriteAsync();
        _training = TrainAsync(request);
    }

    public Task<RunInfo?> GetAsync() => Task.FromResult(state.State.Info);

    public async Task CancelAsync()
    {
        if (state.State.Info is { Summary.IsFinished: false })
        {
            await _cancel.CancelAsync();
            if (_training is null)
            {
                await FinishAsync(RunSummary.Cancelled, new Dictionary<string, double>(), new Dictionary<string, string>(), "cancelled");
            }
        }
    }

    public async Task ForgetAsync()
    {
        if (state.State.Info is { Summary.IsFinished: false })
        {
            throw new ResourceConflictException($"Run '{this.GetPrimaryKeyString()}' is still running.");
        }

        await state.ClearStateAsync();
        DeactivateOnIdle();
    }

    private string Silo => silo.SiloAddress.ToString();

    private async Task TrainAsync(RunRequest request)
    {
        try
        {
            var trainer = trainers.Get(request.Spec.Trainer);
            var metrics = new MetricLog(store, state.State.Info!.MetricHistoryPath);
            await metrics.ResumeAsync(_cancel.Token);
            var silos = new HashSet<string>(state.State.Info.Silos, StringComparer.Ordinal);
            var started = timeProvider.GetTimestamp();
            var trainingRows = 0L;
            var outcome = await WithRetriesAsync(async () =>
            {
                // Resolved in every attempt: the dataset grain may have lived on the silo that died.
                var train = await VersionAsync(request.Spec.Train);
                trainingRows = train.RowCount;
                var eval = await VersionAsync(request.Spec.Eval ?? throw new InvalidOperationException("The experiment did not pin an evaluation set."));
                var context = new RunContext(this.GetPrimaryKeyString(), request, train, eval, GrainFactory, store, metrics, s => silos.Add(s), _cancel.Token);
                return await WithPipelineAsync(context, await trainer.TrainAsync(context));
            });
            await metrics.FlushAsync(_cancel.Token);
            Update(info => info with { Silos = [.. silos] });
            var elapsed = timeProvider.GetElapsedTime(started);
            await FinishAsync(RunSummary.Succeeded, outcome.Metrics, outcome.Artifacts, null, elapsed.TotalSeconds);
            platformMetrics.RunFinished(request.Spec.Trainer, RunSummary.Succeeded, Elapsed(), trainingRows);
        }
        catch (Exception) when (_handingOver)
        {
            // Stopped by a deactivation (OnDeactivateAsync): the run stays running, for the next activation.
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            await FinishAsync(RunSummary.Cancelled, new Dictionary<string, double>(), new Dictionary<string, string>(), "cancelled");
            platformMetrics.RunFinished(request.Spec.Trainer, RunSummary.Cancelled, Elapsed(), 0);
        }
        catch (Exception e)
        {
            LogFailed(logger, this.GetPrimaryKeyString(), e.Message);
            await FinishAsync(RunSummary.Failed, new Dictionary<string, double>(), new Dictionary<string, string>(), $"{e.GetType().Name}: {e.Message}");
            platformMetrics.RunFinished(request.Spec.Trainer, RunSummary.Failed, Elapsed(), 0);
        }
    }

    /// <summary>
    /// A run trained through fitted steps stores them beside its model (<c>pipeline.json</c>) and counts
    /// the evaluation rows of classes its training rows never had.
    /// </summary>
    private static async Task<RunOutcome> WithPipelineAsync(RunContext context, RunOutcome outcome)
    {
        if (context.Request.Pipeline is not { } pipeline)
        {
            return outcome;
        }

        var path = context.ArtifactPath("pipeline.json");
        await Trainers.TrainerData.WriteJsonAsync(context, path, pipeline);
        var metrics = new Dictionary<string, double>(outcome.Metrics, StringComparer.Ordinal);
        if (pipeline.Classes is not null)
        {
            metrics["unseen_class_rows"] = context.UnseenEvalRows;
        }

        return new RunOutcome(metrics, new Dictionary<string, string>(outcome.Artifacts, StringComparer.Ordinal) { ["pipeline"] = path });
    }

    /// <summary>
    /// A silo that dies under a run takes dataset and partition grains with it: calls to them fail
    /// until Orleans declares the silo dead and re-activates them elsewhere. Such failures restart the
    /// attempt (as a new attempt); any other exception fails the run with its reason.
    /// </summary>
    private async Task<RunOutcome> WithRetriesAsync(Func<Task<RunOutcome>> attemptAsync)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await attemptAsync();
            }
            catch (Exception e) when (ClusterFailures.IsTransient(e) && attempt < MaxAttempts && !_cancel.IsCancellationRequested)
            {
                LogRetry(logger, this.GetPrimaryKeyString(), e.Message);
                Update(info => info with { Attempts = info.Attempts + 1 });
                await WriteAsync();
                await Task.Delay(TimeSpan.FromSeconds(2 * attempt), timeProvider, _cancel.Token);
            }
        }
    }

    private const int MaxAttempts = 5;

    /// <summary>Silos a run may lose and continue: the next loss fails it.</summary>
    internal const int MaxTakeovers = 2;

    private async Task<DatasetVersionInfo> VersionAsync(DatasetRef reference)
    {
        var info = await GrainFactory.GetGrain<IDatasetGrain>(reference.Name).GetAsync()
            ?? throw new InvalidOperationException($"Dataset '{reference.Name}' does not exist.");
        return info.Versions.FirstOrDefault(v => v.Version == reference.Version)
            ?? throw new InvalidOperationException($"Dataset '{reference.Name}' has no version {reference.Version}.");
    }

    private async Task FinishAsync(string status, IReadOnlyDictionary<string, double> metrics, IReadOnlyDictionary<string, string> artifacts, string? error, double? seconds = null)
    {
        Update(info => info with
        {
            Summary = info.Summary with { Status = status, Metrics = metrics, Error = error, DurationSeconds = seconds ?? (timeProvider.GetUtcNow() - info.StartedAt)?.TotalSeconds },
            FinishedAt = timeProvider.GetUtcNow(),
            Artifacts = artifacts,
        });
        await WriteAsync();
        try
        {
            await GrainFactory.GetGrain<IExperimentGrain>(state.State.Info!.Experiment).ReportAsync(state.State.Info.Summary);
        }
        catch (Exception e) when (ClusterFailures.IsTransient(e))
        {
            // The outcome is written; the experiment's watchdog reads it on its next poll.
            LogReportDeferred(logger, this.GetPrimaryKeyString(), e.Message);
        }
    }

    private void Update(Func<RunInfo, RunInfo> change) => state.State.Info = change(state.State.Info!);

    /// <summary>Since the run started (all attempts).</summary>
    private TimeSpan Elapsed() => state.State.Info?.StartedAt is { } started ? timeProvider.GetUtcNow() - started : TimeSpan.Zero;

    private Task WriteAsync() => _writer.WriteAsync();

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {Run} failed: its silo stopped {Times} times while it trained")]
    private static partial void LogPoison(ILogger logger, string run, int times);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {Run} stopped training to continue on another silo ({Reason})")]
    private static partial void LogHandedOver(ILogger logger, string run, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {Run} continues on this silo, attempt {Attempt}")]
    private static partial void LogResumed(ILogger logger, string run, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {Run} lost part of the cluster and starts again: {Reason}")]
    private static partial void LogRetry(ILogger logger, string run, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {Run} could not report to its experiment, whose watchdog will read it: {Reason}")]
    private static partial void LogReportDeferred(ILogger logger, string run, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {Run} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string run, string reason);
}
