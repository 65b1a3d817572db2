using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using OrleansMl.Catalog;
using OrleansMl.Datasets;
using OrleansMl.Pipelines;
using OrleansMl.Storage.Artifacts;
using OrleansMl.Workspaces;

namespace OrleansMl.Experiments;

/// <summary>
/// Schedules an experiment's runs: at most MaxConcurrentRuns at a time, each a <see cref="IRunGrain"/>
/// placed by Orleans across the silos. A watchdog timer polls running runs every few seconds, which
/// re-activates (and so resumes) any run whose silo died; the experiment finishes only when every
/// run is accounted for. Reentrant, with serialised state writes.
/// </summary>
[GrainType("orleansml.experiment")]
[Reentrant]
public sealed partial class ExperimentGrain(
    [PersistentState("experiment", GrainStorageNames.Metadata)] IPersistentState<ExperimentState> state,
    TrainerRegistry trainers,
    PartitionTransformRegistry udfs,
    IArtifactStore store,
    TimeProvider timeProvider,
    Microsoft.Extensions.Options.IOptions<Orleans.Hosting.ReminderOptions> reminders,
    ILogger<ExperimentGrain> logger) : Grain, IExperimentGrain, IRemindable
{
    public const string Created = "created";
    public const string Preparing = "preparing";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    private readonly List<Channel<RunSummary>> _watchers = [];
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IGrainTimer? _watchdog;

    private string Name => this.GetPrimaryKeyString();

    private ExperimentInfo Info => state.State.Info!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await LoadRunsAsync();
        if (state.State.Deleting)
        {
            await ForgetAsync(cancellationToken); // a deletion the last activation did not finish
            return;
        }

        if (state.State.Info is { State: Running or Preparing })
        {
            StartWatchdog();
            await KeepAwakeAsync();
            if (Info.State == Preparing)
            {
                _ = PrepareAsync();
            }
        }
    }

    public async Task<ExperimentInfo> StartAsync(ExperimentSpec spec)
    {
        var requested = spec is null ? null : System.Text.Json.JsonSerializer.Serialize(spec);
        if (state.State.Info is { } existing)
        {
            // The same request again is answered with the experiment; another spec under the same name is a conflict.
            return state.State.RequestedSpec is null || state.State.RequestedSpec == requested
                ? existing
                : throw new ResourceConflictException($"Experiment '{Name}' exists already with another spec; choose another name, or delete it first.");
        }

        ResourceNames.Validate(Name, "experiment");

        var (pinned, metric) = await ValidateAsync(spec!);
        state.State.RequestedSpec = requested;
        _plan.Clear();
        _plan.AddRange(SearchSpace.Plan(pinned).Select(p => new Dictionary<string, string>(p, StringComparer.Ordinal)));
        for (var i = 0; i < _plan.Count; i += RunPage.Size)
        {
            Changed(i);
        }

        state.State.Info = new ExperimentInfo(Name, pinned, Preparing, metric, MetricNames.Maximize(metric), Counts(), null, timeProvider.GetUtcNow(), timeProvider.GetUtcNow(), null, null);
        await WriteAsync();
        await GrainFactory.GetGrain<ICatalogGrain>(ICatalogGrain.Experiments).AddAsync(Name);
        foreach (var read in new[] { pinned.Train, pinned.Eval }.OfType<DatasetRef>())
        {
            // The datasets' lineage graphs show the experiment (one-way: the datasets never hold this call up).
            await GrainFactory.GetGrain<IDatasetGrain>(read.Name).RecordUseAsync(new DatasetUse(DatasetUse.ExperimentKind, Name, null, read.Version!.Value, null, timeProvider.GetUtcNow()));
        }

        StartWatchdog();
        await KeepAwakeAsync();
        _ = PrepareAsync();
        return Info;
    }

    public Task<ExperimentInfo?> GetAsync() => Task.FromResult(state.State.Info);

    public Task<IReadOnlyList<RunSummary>> ListRunsAsync(string? sortBy, bool? descending, int skip, int take, string? filter)
    {
        var passes = RunFilter.Parse(filter);
        var runs = _runs.Where(r => r.Status != RunSummary.Deleted && (passes is null || passes.Passes(r)));
        if (sortBy is null or "index")
        {
            runs = descending == true ? runs.OrderByDescending(r => r.Index) : runs.OrderBy(r => r.Index);
        }
        else if (_runs.Any(r => r.Metrics.ContainsKey(sortBy)))
        {
            var best = descending ?? MetricNames.Maximize(sortBy);
            var scored = runs.Where(r => r.Metrics.ContainsKey(sortBy));
            runs = (best ? scored.OrderByDescending(r => r.Metrics[sortBy]) : scored.OrderBy(r => r.Metrics[sortBy]))
                .ThenBy(r => r.Index)
                .Concat(runs.Where(r => !r.Metrics.ContainsKey(sortBy)));
        }
        else
        {
            // A parameter: as numbers when every run's value reads as one (each parsed once), else as text; runs without it last.
            var valued = runs.Where(r => r.Params.ContainsKey(sortBy)).Select(r => (Run: r, Text: r.Params[sortBy],
                Number: double.TryParse(r.Params[sortBy], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : (double?)null)).ToList();
            var ordered = valued.All(v => v.Number is not null)
                ? valued.OrderBy(v => v.Number)
                : valued.OrderBy(v => v.Text, StringComparer.Ordinal);
            var sorted = (descending == true ? ordered.Reverse() : ordered).Select(v => v.Run);
            runs = sorted.Concat(runs.Where(r => !r.Params.ContainsKey(sortBy)));
        }

        return Task.FromResult<IReadOnlyList<RunSummary>>([.. runs.Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 0, 10_000))]);
    }

    public async Task<ExperimentInfo> CancelAsync()
    {
        if (state.State.Info is not { State: Running or Preparing or Created })
        {
            return state.State.Info ?? throw new KeyNotFoundException($"There is no experiment '{Name}'.");
        }

        state.State.StopStarting = true;
        Set(Info with { StopReason = "cancelled" });
        await WriteAsync();
        await Task.WhenAll(_runs.Where(r => !r.IsFinished).Select(r => Run(r.Index).CancelAsync()));
        await CompleteIfDoneAsync();
        return Info;
    }

    public async Task<ExperimentInfo> WaitAsync(TimeSpan maxWait)
    {
        var info = state.State.Info ?? throw new KeyNotFoundException($"There is no experiment '{Name}'.");
        if (info.State is Running or Preparing)
        {
            await Task.WhenAny(_finished.Task, Task.Delay(maxWait < IExperimentGrain.MaxWait ? maxWait : IExperimentGrain.MaxWait, timeProvider));
        }

        return Info;
    }

    public async IAsyncEnumerable<RunSummary> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<RunSummary>();
        foreach (var run in _runs.Where(r => r.Status != RunSummary.Deleted))
        {
            channel.Writer.TryWrite(run);
        }

        if (state.State.Info is not { State: Running or Preparing })
        {
            channel.Writer.TryComplete();
        }
        else
        {
            _watchers.Add(channel);
        }

        try
        {
            await foreach (var run in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return run;
            }
        }
        finally
        {
            _watchers.Remove(channel);
        }
    }

    /// <summary>
    /// The experiment's stopping rule. An activation's first report builds it and replays into it what every started run
    /// logged at its epochs' ends (their metric histories in the store), so an experiment grain that started again — its silo
    /// died — judges by every value reported, not only by those since.
    /// </summary>
    private Task<StoppingRule?>? _stopping;

    public async Task<string?> ReportEpochAsync(int index, int epoch, double value)
    {
        if (state.State.Info is not { } info || index < 0 || index >= _runs.Count)
        {
            return null;
        }

        _stopping ??= StoppingRuleAsync(info);
        var reason = (await _stopping)?.Report(index, epoch, value);
        if (reason is not null)
        {
            LogStopped(logger, RunId(index), reason);
        }

        return reason;
    }

    private async Task<StoppingRule?> StoppingRuleAsync(ExperimentInfo info)
    {
        var rule = StoppingRule.For(info.Spec.Strategy, info.Spec.Params, info.Metric);
        if (rule is null)
        {
            return null;
        }

        // Read concurrently (an experiment may have thousands of runs), replayed here in run order.
        var started = Enumerable.Range(0, _runs.Count).Where(r => _runs[r].Status is not (RunSummary.Pending or RunSummary.Deleted)).ToArray();
        var (name, metric) = (Name, info.Metric);
        var histories = new List<(int Epoch, double Value)>?[started.Length];
        var failures = new string?[started.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, started.Length), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, cancellationToken) =>
        {
            try
            {
                histories[i] = await MetricLog.EpochValuesAsync(store, MetricLog.PrefixOf(name, started[i]), metric, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures[i] = e.Message;
            }
        });

        for (var i = 0; i < started.Length; i++)
        {
            if (failures[i] is { } failure)
            {
                LogHistoryUnread(logger, RunId(started[i]), failure);
            }

            foreach (var (epoch, value) in histories[i] ?? [])
            {
                rule.Report(started[i], epoch, value);
            }
        }

        return rule;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stopping rule goes on without run {Run}'s earlier epochs: its metric history could not be read ({Reason})")]
    private static partial void LogHistoryUnread(ILogger logger, string run, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {Run} stopped early: {Reason}")]
    private static partial void LogStopped(ILogger logger, string run, string reason);

    public async Task ReportAsync(RunSummary run)
    {
        if (run.Index < 0 || run.Index >= _runs.Count)
        {
            return;
        }

        _runs[run.Index] = run;
        Changed(run.Index);
        var best = Best();
        Set(Info with { RunCounts = Counts(), Best = best });
        if (run.Status == RunSummary.Succeeded && Info.Spec.Target is { } target && run.Metrics.TryGetValue(Info.Metric, out var value)
            && (Info.Maximize ? value >= target : value <= target))
        {
            state.State.StopStarting = true;
            Set(Info with { StopReason = $"run {run.Index} reached the target {Info.Metric} {target}" });
        }

        await WriteAsync();
        foreach (var watcher in _watchers)
        {
            watcher.Writer.TryWrite(run);
        }

        await ScheduleAsync();
    }

    /// <summary>
    /// Splits (when the spec has no evaluation set) and fits the steps, then schedules the runs. A silo
    /// that dies under it (a dataset or partition grain it calls) makes the whole preparation start
    /// again once the cluster has noticed, up to <see cref="PrepareAttempts"/> times: a finished split
    /// is kept (its versions are in the spec), the steps are fitted again.
    /// </summary>
    private async Task PrepareAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await PrepareOnceAsync();
                return;
            }
            catch (Exception e) when (ClusterFailures.IsTransient(e) && attempt < PrepareAttempts)
            {
                LogPrepareRetry(logger, Name, attempt, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(3 * attempt), timeProvider);
            }
            catch (Exception e)
            {
                Set(Info with { State = Failed, StopReason = e.Message, FinishedAt = timeProvider.GetUtcNow() });
                await WriteAsync();
                await FinishAsync();
                return;
            }
        }
    }

    private const int PrepareAttempts = 4;

    private async Task PrepareOnceAsync()
    {
        if (Info.Spec.Eval is null)
        {
            // Hold out TestFraction of the training rows with a seeded split, materialised once for every run.
            var source = GrainFactory.GetGrain<IDatasetGrain>(Info.Spec.Train.Name);
            var trainName = $"{Name}-train";
            var testName = $"{Name}-test";
            var request = new SplitRequest(Info.Spec.TestFraction, Info.Spec.Seed, Info.Spec.Train.Version, trainName, testName);
            for (var attempt = 1; ; attempt++)
            {
                // The dataset grain's silo may die under the split: the next activation marks it interrupted
                // (or finishes it), the calls here are retried until it is back, and an interrupted split is started again.
                var started = await ClusterFailures.RetryAsync(() => source.StartSplitAsync(request));
                var operation = await ClusterFailures.RetryAsync(() => source.WaitUntilFinishedAsync(started.Id, TimeSpan.FromHours(1), timeProvider));
                if (operation?.State == DatasetOperation.Succeeded)
                {
                    break;
                }

                if (attempt == 3 || operation?.Error?.StartsWith("interrupted", StringComparison.Ordinal) != true)
                {
                    throw new InvalidOperationException($"The train/test split failed: {operation?.Error}");
                }
            }

            var trainVersion = (await GrainFactory.GetGrain<IDatasetGrain>(trainName).GetAsync())!.Versions[^1].Version;
            var testVersion = (await GrainFactory.GetGrain<IDatasetGrain>(testName).GetAsync())!.Versions[^1].Version;
            Set(Info with { Spec = Info.Spec with { Train = new DatasetRef(trainName, trainVersion), Eval = new DatasetRef(testName, testVersion) } });
        }

        if (Info.Spec.Steps is { Count: > 0 } && Info.Pipeline is null) // fitted once: the spec then names the transformed versions
        {
            var columns = (await VersionAsync(Info.Spec.Train)).Columns;
            var (inputs, label) = PipelineCheck.Check(Info.Spec, columns, udfs);
            var (train, eval, pipeline) = await PipelineFitter.FitAsync(GrainFactory, Name, Info.Spec, inputs, label, timeProvider);
            Set(Info with { Spec = Info.Spec with { Train = train, Eval = eval }, Pipeline = pipeline });
        }

        Set(Info with { State = Running });
        await WriteAsync();
        await ScheduleAsync();
    }

    private async Task ScheduleAsync()
    {
        if (Info.State != Running)
        {
            return;
        }

        if (Info.Spec.TimeBudgetSeconds is { } budget && timeProvider.GetUtcNow() - Info.StartedAt > TimeSpan.FromSeconds(budget) && !state.State.StopStarting)
        {
            state.State.StopStarting = true;
            Set(Info with { StopReason = $"time budget of {budget} s used" });
        }

        PlanNextHalvingRound();
        PlanNextTpeTrials();
        var starting = new List<RunRequest>();
        while (!state.State.StopStarting
            && _runs.Count < _plan.Count
            && _runs.Count(r => !r.IsFinished) < Info.Spec.MaxConcurrentRuns)
        {
            var index = _runs.Count;
            var parameters = _plan[index];
            _runs.Add(new RunSummary(RunId(index), index, parameters, RunSummary.Running, new Dictionary<string, double>(), null, null));
            Changed(index);
            starting.Add(new RunRequest(Name, index, Info.Spec, parameters, Info.Pipeline));
        }

        if (starting.Count > 0)
        {
            Set(Info with { RunCounts = Counts() });
            await WriteAsync();
            await Task.WhenAll(starting.Select(StartRunAsync));
        }

        await CompleteIfDoneAsync();
    }

    /// <summary>Starts a run. A start lost with a dying silo is left to the watchdog, which starts every run that has no state.</summary>
    private async Task StartRunAsync(RunRequest request)
    {
        try
        {
            await Run(request.Index).StartAsync(request);
        }
        catch (Exception e) when (ClusterFailures.IsTransient(e))
        {
            LogStartDeferred(logger, RunId(request.Index), e.Message);
        }
    }

    /// <summary>When a halving round has finished, plans the next one: its best configurations with a larger budget.</summary>
    private void PlanNextHalvingRound()
    {
        if (Info.Spec.Strategy != "halving" || state.State.StopStarting || _runs.Count < _plan.Count
            || _runs.Any(r => !r.IsFinished))
        {
            return;
        }

        var round = _runs.Skip(state.State.RoundStart).ToList();
        if (round.Count <= 1)
        {
            return; // one configuration left: done
        }

        var halving = Halving.Of(Info.Spec);
        var scored = round.Where(r => r.Status == RunSummary.Succeeded && r.Metrics.ContainsKey(Info.Metric));
        var survivors = (Info.Maximize ? scored.OrderByDescending(r => r.Metrics[Info.Metric]) : scored.OrderBy(r => r.Metrics[Info.Metric]))
            .ThenBy(r => r.Index)
            .Take(halving.Survivors(round.Count))
            .ToList();
        if (survivors.Count == 0)
        {
            return;
        }

        state.State.Round++;
        state.State.RoundStart = _runs.Count;
        foreach (var survivor in survivors)
        {
            Changed(_plan.Count);
            _plan.Add(new Dictionary<string, string>(survivor.Params, StringComparer.Ordinal) { [halving.Resource] = halving.Budget(state.State.Round) });
        }
    }

    /// <summary>
    /// Model-based search: once every planned trial has started, each free slot gets a trial proposed from the finished
    /// ones (<see cref="Tpe"/>), until MaxRuns are planned.
    /// </summary>
    private void PlanNextTpeTrials()
    {
        if (Info.Spec.Strategy != "tpe" || state.State.StopStarting || _runs.Count < _plan.Count)
        {
            return;
        }

        var free = Math.Min(Info.Spec.MaxConcurrentRuns - _runs.Count(r => !r.IsFinished), Info.Spec.MaxRuns - _plan.Count);
        if (free <= 0)
        {
            return;
        }

        var observed = _runs
            .Where(r => r.Status == RunSummary.Succeeded && r.Metrics.TryGetValue(Info.Metric, out var score) && double.IsFinite(score))
            .Select(r => ((IReadOnlyDictionary<string, string>)r.Params, r.Metrics[Info.Metric]))
            .ToList();
        for (var i = 0; i < free; i++)
        {
            Changed(_plan.Count);
            _plan.Add(SearchSpace.NextTpe(Info.Spec, _plan.Count, observed, Info.Maximize));
        }
    }

    private async Task CompleteIfDoneAsync()
    {
        var allStarted = state.State.StopStarting || (_runs.Count == _plan.Count && (Info.Spec.Strategy != "tpe" || _plan.Count >= Info.Spec.MaxRuns));
        if (Info.State != Running && Info.State != Preparing || !allStarted || _runs.Any(r => !r.IsFinished))
        {
            return;
        }

        var final = Info.StopReason == "cancelled" ? Cancelled
            : _runs.Any(r => r.Status == RunSummary.Succeeded) ? Succeeded
            : Failed;
        Set(Info with { State = final, FinishedAt = timeProvider.GetUtcNow(), RunCounts = Counts(), Best = Best() });
        await WriteAsync();
        await FinishAsync();
    }

    private async Task FinishAsync()
    {
        await LetSleepAsync();
        _watchdog?.Dispose();
        _watchdog = null;
        foreach (var watcher in _watchers.ToList())
        {
            watcher.Writer.TryComplete();
        }

        _finished.TrySetResult();
    }

    /// <summary>Every few seconds: ask each unfinished run for its state (activating it elsewhere if its silo died) and fold in what it says.</summary>
    private void StartWatchdog() =>
        _watchdog ??= this.RegisterGrainTimer(async _ =>
        {
            foreach (var run in _runs.Where(r => !r.IsFinished).ToList())
            {
                switch (await Run(run.Index).GetAsync())
                {
                    case null: // its start was lost with a silo
                        await StartRunAsync(new RunRequest(Name, run.Index, Info.Spec, _plan[run.Index], Info.Pipeline));
                        break;
                    case { Summary: var current } when current.Status != run.Status:
                        await ReportAsync(current);
                        break;
                }
            }

            await ScheduleAsync();
        }, new GrainTimerCreationOptions(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)) { Interleave = true, KeepAlive = true });

    private async Task<(ExperimentSpec Spec, string Metric)> ValidateAsync(ExperimentSpec spec)
    {
        if (spec is null)
        {
            throw FieldError.Invalid("Send an experiment spec: { train, labelColumn, featureColumn, task, trainer, ... }.", "spec");
        }

        if (spec.Train is not { Name: { Length: > 0 } })
        {
            throw FieldError.Invalid("train names the dataset to train on: { \"name\": \"...\", \"version\": n }.", "train");
        }

        foreach (var (value, field) in new[] { (spec.LabelColumn, "labelColumn"), (spec.FeatureColumn, "featureColumn"), (spec.Task, "task"), (spec.Trainer, "trainer") })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw FieldError.Invalid($"{field} is required.", field);
            }
        }

        // Without eval the experiment splits its training set into {name}-train and {name}-test, which must be valid names too.
        if (spec.Eval is null && !Workspaces.WorkspaceValidation.IsValidName($"{Name}-train"))
        {
            throw FieldError.Invalid($"'{Name}' is too long for an experiment that splits its own evaluation set into '{Name}-train': at most {64 - "-train".Length} characters, or give eval.", "name");
        }

        if (spec.Steps is { } steps)
        {
            Datasets.ClientSteps.RefuseResolved(steps);
        }

        var metric = MetricNames.Resolve(spec.Task, spec.Metric);
        var trainer = trainers.Get(spec.Trainer);
        if (StoppingRule.For(spec.Strategy, spec.Params, metric) is not null && !trainer.ReportsEpochs)
        {
            throw FieldError.Invalid($"Early stopping ({(spec.Strategy == "asha" ? "strategy asha" : "params.stop_rule")}) needs a trainer that reports every epoch (torch); '{spec.Trainer}' does not.", spec.Strategy == "asha" ? "strategy" : "params.stop_rule");
        }

        if (!trainer.Tasks.Contains(spec.Task))
        {
            throw FieldError.Invalid($"trainer '{spec.Trainer}' does not do {spec.Task}; it does {string.Join(", ", trainer.Tasks)}.", "trainer");
        }

        if (spec.MaxRuns is < 1 or > 100_000)
        {
            throw FieldError.Invalid($"maxRuns must be between 1 and 100000; got {spec.MaxRuns}.", "maxRuns");
        }

        if (spec.MaxConcurrentRuns is < 1 or > 1000)
        {
            throw FieldError.Invalid($"maxConcurrentRuns must be between 1 and 1000; got {spec.MaxConcurrentRuns}.", "maxConcurrentRuns");
        }

        if (spec.TestFraction is <= 0 or >= 1)
        {
            throw FieldError.Invalid($"testFraction must be between 0 and 1 (exclusive); got {spec.TestFraction}.", "testFraction");
        }

        foreach (var (name, range) in spec.SearchSpace ?? new Dictionary<string, ParamRange>())
        {
            SearchSpace.Validate(name, range);
        }

        var train = await PinAsync(spec.Train, "train", spec);
        var eval = spec.Eval is null ? null : await PinAsync(spec.Eval, "eval", spec);
        if (spec.Steps is { Count: > 0 })
        {
            var (inputs, label) = PipelineCheck.Check(spec, train.Columns, udfs);
            if (eval is not null)
            {
                PipelineCheck.CheckEval(eval.Columns, inputs, label);
            }
        }
        else if (eval is not null && spec.Task != "regression")
        {
            await PipelineCheck.CheckLabelKeysAsync(GrainFactory, spec.LabelColumn, train, eval);
        }

        var pinned = spec with { Train = Ref(spec.Train, train), Eval = spec.Eval is null ? null : Ref(spec.Eval, eval!) };
        foreach (var parameters in SearchSpace.Plan(pinned))
        {
            trainer.Validate(parameters);
        }

        return (pinned, metric);
    }

    /// <summary>The version an experiment reads (the latest when none is named); its columns must include the label and, without steps, the features.</summary>
    private async Task<DatasetVersionInfo> PinAsync(DatasetRef reference, string field, ExperimentSpec spec)
    {
        var info = await GrainFactory.GetGrain<IDatasetGrain>(reference.Name).GetAsync();
        var version = info?.Versions.LastOrDefault(v => reference.Version is null || v.Version == reference.Version)
            ?? throw FieldError.Invalid($"{field}: dataset '{reference.Name}' has no version {reference.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "yet"}.", field);
        foreach (var column in spec.Steps is { Count: > 0 } ? [spec.LabelColumn] : new[] { spec.FeatureColumn, spec.LabelColumn })
        {
            if (!version.Columns.Any(c => c.Name == column))
            {
                throw FieldError.Invalid($"{field}: dataset '{reference.Name}' v{version.Version} has no column '{column}'. Columns: {string.Join(", ", version.Columns.Select(c => c.Name))}.", field);
            }
        }

        return version;
    }

    private static DatasetRef Ref(DatasetRef reference, DatasetVersionInfo version) => reference with { Version = version.Version };

    private async Task<DatasetVersionInfo> VersionAsync(DatasetRef reference) =>
        (await GrainFactory.GetGrain<IDatasetGrain>(reference.Name).GetAsync())?.Versions.FirstOrDefault(v => v.Version == reference.Version)
            ?? throw new InvalidOperationException($"Dataset '{reference.Name}' version {reference.Version} no longer exists.");

    /// <summary>The succeeded run with the best value of the experiment's metric (the first of equals; NaN never best), in one pass: it runs on every report.</summary>
    private RunSummary? Best()
    {
        RunSummary? best = null;
        var bestValue = 0.0;
        foreach (var run in _runs)
        {
            if (run.Status == RunSummary.Succeeded && run.Metrics.TryGetValue(Info.Metric, out var value) && !double.IsNaN(value)
                && (best is null || (Info.Maximize ? value > bestValue : value < bestValue)))
            {
                (best, bestValue) = (run, value);
            }
        }

        return best;
    }

    private Dictionary<string, int> Counts()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            [RunSummary.Pending] = _plan.Count - _runs.Count,
        };
        foreach (var run in _runs)
        {
            counts[run.Status] = counts.GetValueOrDefault(run.Status) + 1;
        }

        return counts;
    }

    private string RunId(int index) => IRunGrain.KeyOf(Name, index);

    private IRunGrain Run(int index) => GrainFactory.GetGrain<IRunGrain>(RunId(index));

    private void Set(ExperimentInfo info) => state.State.Info = info;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {Experiment} prepares again (attempt {Attempt} failed): {Reason}")]
    private static partial void LogPrepareRetry(ILogger logger, string experiment, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {Run} could not be started now; the watchdog starts it on its next poll: {Reason}")]
    private static partial void LogStartDeferred(ILogger logger, string run, string reason);
}
