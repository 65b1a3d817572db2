using OrleansMl.Catalog;
using Orleans.Concurrency;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using OrleansMl.Data.Statistics;
using OrleansMl.Storage.Artifacts;
using OrleansMl.Workspaces;

namespace OrleansMl.Datasets;

/// <summary>
/// Owns a dataset's versions and runs its operations in the background. Reentrant: reads and status
/// calls proceed while an operation awaits its partitions; state writes are serialised.
/// </summary>
[GrainType("orleansml.dataset")]
[Reentrant]
public sealed partial class DatasetGrain(
    [PersistentState("dataset", GrainStorageNames.Metadata)] IPersistentState<DatasetState> state,
    IArtifactStore store,
    DatasetImporter importer,
    PartitionTransformRegistry udfs,
    IClusterMembershipService membership,
    TimeProvider timeProvider,
    Telemetry.PlatformMetrics metrics,
    ILogger<DatasetGrain> logger) : Grain, IDatasetGrain
{
    private readonly SerializedStateWriter<DatasetState> _writer = new(state);
    private static readonly JsonSerializerOptions SummaryJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly Dictionary<string, (OperationProgress Progress, TaskCompletionSource Done)> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<int, DatasetSummary> _summaries = [];

    private string Name => this.GetPrimaryKeyString();

    public Task<byte[]?> ExportStateAsync() => Backups.GrainStateBackup.ExportAsync(this, state);

    public Task RestoreStateAsync(byte[] snapshot) => Backups.GrainStateBackup.RestoreAsync(this, state, snapshot);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Operations that were running when their silo stopped (or whose last state write failed) can
        // never finish here. Files, then the manifest, then grain state: a version whose manifest was
        // written is complete and is recorded now; anything else is removed. A split is finished or
        // undone on both sides together. Never touched: a version the dataset lists.
        var interrupted = state.State.Operations.Where(o => !o.IsFinished).ToList();
        var splits = state.State.Splits.ToList();
        foreach (var split in splits)
        {
            var finished = await RecoverSplitAsync(split, cancellationToken);
            state.State.Splits.Remove(split);
            if (state.State.Operations.FirstOrDefault(o => o.Id == split.OperationId) is { } operation)
            {
                Finish(operation, finished);
            }
        }

        foreach (var operation in interrupted.Where(o => o.Kind != SplitKind))
        {
            var finished = false;
            if (state.State.Versions.All(v => v.Version != operation.Version))
            {
                if (await DatasetManifest.ReadAsync(store, Name, operation.Version, cancellationToken) is { } complete)
                {
                    var at = state.State.Versions.FindIndex(v => v.Version > complete.Version);
                    state.State.Versions.Insert(at < 0 ? state.State.Versions.Count : at, complete);
                    finished = true;
                }
                else
                {
                    await DatasetManifest.DeleteVersionFilesAsync(store, Name, operation.Version, cancellationToken);
                }
            }

            Finish(operation, finished);
        }

        foreach (var operation in interrupted.Where(o => o.Kind == SplitKind && splits.All(s => s.OperationId != o.Id)))
        {
            Finish(operation, false); // interrupted before it reserved its versions: nothing was written
        }

        if (interrupted.Count > 0 || splits.Count > 0)
        {
            await state.WriteStateAsync(cancellationToken);
            if (state.State.Versions.Count > 0)
            {
                await GrainFactory.GetGrain<ICatalogGrain>(ICatalogGrain.Datasets).AddAsync(Name);
            }
        }

        if (state.State.Deleting.Count > 0 || state.State.DeletingAll)
        {
            await CollectAsync(cancellationToken); // a deletion the last activation did not finish
        }
    }

    private void Finish(DatasetOperation operation, bool finished) => Replace(operation with
    {
        State = finished ? DatasetOperation.Succeeded : DatasetOperation.Failed,
        Error = finished ? null : operation.Error ?? "interrupted: the silo running it stopped; start it again",
        FinishedAt = operation.FinishedAt ?? timeProvider.GetUtcNow(),
    });

    public Task<DatasetInfo?> GetAsync() => Task.FromResult(
        state.State.Versions.Count == 0 && state.State.Operations.Count == 0
            ? null
            : new DatasetInfo(Name, [.. state.State.Versions], [.. state.State.Operations.Select(Live)]));

    public async Task<DatasetOperation> StartImportAsync(ImportRequest request)
    {
        ResourceNames.Validate(Name, "dataset");
        importer.Validate(request);
        var silos = Math.Max(1, membership.CurrentSnapshot.Members.Count(m => m.Value.Status == SiloStatus.Active));
        return await StartAsync("import", async (version, progress) => await importer.ImportAsync(Name, version, request, silos, progress, progress.Stopping));
    }

    public async Task<DatasetOperation> StartTransformAsync(TransformRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ResourceNames.Validate(Name, "dataset");
        if (request.From is not null && request.Steps is { Count: > 0 })
        {
            throw FieldError.Invalid("Give either steps or from (the steps of another transformed version), not both.", "from");
        }

        var steps = request.From is { } from ? await StepsOfAsync(from) : request.Steps;
        if (steps is not { Count: > 0 })
        {
            throw FieldError.Invalid("steps needs at least one step.", "steps");
        }

        var source = request.Input ?? Name;
        var parent = await VersionOfAsync(source, request.Version, "input");
        StepValidation.Validate(steps, RowJson.Schema(parent.Columns), udfs);
        return await StartAsync("transform", (version, progress) => TransformAsync(source, parent, steps, version, progress));
    }

    public async Task<DatasetOperation> StartSplitAsync(SplitRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.TestFraction is <= 0 or >= 1 || double.IsNaN(request.TestFraction))
        {
            throw FieldError.Invalid($"testFraction must be between 0 and 1 (exclusive); got {request.TestFraction}.", "testFraction");
        }

        var parent = Version(request.Version);
        var train = request.TrainDataset ?? $"{Name}-train";
        var test = request.TestDataset ?? $"{Name}-test";
        ResourceNames.Validate(train, "dataset", "trainDataset");
        ResourceNames.Validate(test, "dataset", "testDataset");
        if (train == test || train == Name || test == Name)
        {
            throw FieldError.Invalid("trainDataset and testDataset must differ from each other and from the dataset being split.", "trainDataset");
        }

        var id = NewOperationId();
        return await StartAsync(SplitKind, (_, progress) => SplitAsync(id, parent, request, train, test, progress), parent.Version, id);
    }

    public Task<DatasetOperation?> GetOperationAsync(string operationId) =>
        Task.FromResult(state.State.Operations.FirstOrDefault(o => o.Id == operationId) is { } operation ? Live(operation) : null);

    public async Task<DatasetOperation> CancelOperationAsync(string operationId)
    {
        var operation = state.State.Operations.FirstOrDefault(o => o.Id == operationId)
            ?? throw new KeyNotFoundException($"Dataset '{Name}' has no operation '{operationId}'.");
        if (!_running.TryGetValue(operationId, out var running))
        {
            return Live(operation); // finished already: nothing to stop
        }

        if (operation.Kind != "import")
        {
            throw FieldError.Invalid($"Operation '{operationId}' is a {operation.Kind}; only imports can be cancelled (a {operation.Kind} reads data the platform holds and ends on its own).", "id");
        }

        running.Progress.Stop();
        await Task.WhenAny(running.Done.Task, Task.Delay(IDatasetGrain.MaxWait, timeProvider));
        return (await GetOperationAsync(operationId))!;
    }

    public async Task<DatasetOperation?> WaitAsync(string operationId, TimeSpan maxWait)
    {
        if (_running.TryGetValue(operationId, out var running))
        {
            await Task.WhenAny(running.Done.Task, Task.Delay(maxWait < IDatasetGrain.MaxWait ? maxWait : IDatasetGrain.MaxWait, timeProvider));
        }

        return await GetOperationAsync(operationId);
    }

    public async Task<string> DescribeAsync(int? version, IReadOnlyList<string>? columns, CancellationToken cancellationToken)
    {
        var info = Version(version);
        if (columns is not null)
        {
            var schema = RowJson.Schema(info.Columns);
            foreach (var column in columns)
            {
                if (schema.IndexOf(column) < 0)
                {
                    throw FieldError.Invalid($"columns: unknown column '{column}'. Columns: {string.Join(", ", info.Columns.Select(c => c.Name))}.", "columns");
                }
            }
        }

        if (columns is null && _summaries.TryGetValue(info.Version, out var cached))
        {
            return JsonSerializer.Serialize(cached, SummaryJson);
        }

        var summary = await SummarizeAsync(Name, info, [], columns, cancellationToken);
        var json = JsonSerializer.Serialize(summary, SummaryJson);
        if (columns is null)
        {
            _summaries[info.Version] = summary;
            using var content = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
            await store.WriteAsync(DatasetPaths.Statistics(Name, info.Version), content, ArtifactWriteCondition.None, cancellationToken);
        }

        return json;
    }

    public async Task<DatasetRows> HeadAsync(int? version, int rows)
    {
        var info = Version(version);
        rows = Math.Clamp(rows, 0, 10_000);
        var result = new List<string>(rows);
        for (var i = 0; i < info.PartitionCount && result.Count < rows; i++)
        {
            result.AddRange(await Partition(info, i).HeadAsync(rows - result.Count));
        }

        return new DatasetRows(info.Columns, RowJson.Array(result), result.Count);
    }

    public async Task<DatasetRows> SampleAsync(int? version, int rows, long seed)
    {
        var info = Version(version);
        rows = Math.Clamp(rows, 0, 10_000);
        var parts = await Task.WhenAll(Enumerable.Range(0, info.PartitionCount).Select(i => Partition(info, i).SampleAsync(rows, seed)));
        var picked = parts
            .SelectMany(p => p.Keys.Select((key, i) => (Key: key, Row: p.Rows[i])))
            .OrderBy(r => r.Key)
            .Take(rows)
            .Select(r => r.Row)
            .ToList();
        return new DatasetRows(info.Columns, RowJson.Array(picked), picked.Count);
    }

    public async Task<IReadOnlyList<PartitionInfo>> GetPartitionsAsync(int? version)
    {
        var info = Version(version);
        var partitions = await Task.WhenAll(Enumerable.Range(0, info.PartitionCount).Select(i => Partition(info, i).GetInfoAsync()));
        return [.. partitions.Select(p => p with { Rows = info.PartitionRows[p.Index] })];
    }

    public async Task<int> ReserveVersionAsync()
    {
        var version = state.State.NextVersion++;
        await WriteStateAsync();
        return version;
    }

    public async Task AddVersionAsync(DatasetVersionInfo version)
    {
        if (state.State.Versions.Any(v => v.Version == version.Version))
        {
            return; // recorded already: a recovered split adds again what it may have added before the crash
        }

        state.State.Versions.Add(version);
        AddOwnUses(version);
        await WriteStateAsync();
        await GrainFactory.GetGrain<ICatalogGrain>(ICatalogGrain.Datasets).AddAsync(Name);
        await TellParentsAsync(version);
    }

    /// <summary>The kind of a split operation, which recovery treats apart: it writes other datasets' versions.</summary>
    private const string SplitKind = "split";

    private static string NewOperationId() => Guid.NewGuid().ToString("N")[..12];

    private async Task<DatasetOperation> StartAsync(string kind, Func<int, OperationProgress, Task<DatasetVersionInfo?>> work, int? version = null, string? id = null)
    {
        var number = version ?? state.State.NextVersion++;
        var operation = new DatasetOperation(id ?? NewOperationId(), kind, DatasetOperation.Running, number, 0, null, 0, 0, null, null, timeProvider.GetUtcNow(), null);
        state.State.Operations.Insert(0, operation);
        if (state.State.Operations.Count > DatasetState.MaxOperations)
        {
            state.State.Operations.RemoveRange(DatasetState.MaxOperations, state.State.Operations.Count - DatasetState.MaxOperations);
        }

        await WriteStateAsync();
        var progress = new OperationProgress();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _running[operation.Id] = (progress, done);
        DelayDeactivation(TimeSpan.FromHours(2));
        _ = RunAsync(operation, progress, done, () => work(number, progress));
        return operation;
    }

    private async Task RunAsync(DatasetOperation operation, OperationProgress progress, TaskCompletionSource done, Func<Task<DatasetVersionInfo?>> work)
    {
        DatasetVersionInfo? created = null;
        string? error = null;
        var cancelled = false;
        try
        {
            created = await work();
        }
        catch (OperationCanceledException) when (progress.Stopped)
        {
            cancelled = true;
            error = "cancelled: nothing of it was kept";
        }
        catch (Exception e)
        {
            error = ErrorMessage(e);
            LogOperationFailed(logger, operation.Kind, Name, error);
        }

        try
        {
            if (created is not null)
            {
                state.State.Versions.Add(created);
                AddOwnUses(created);
            }

            var finished = Live(operation) with
            {
                State = cancelled ? DatasetOperation.Cancelled : error is null ? DatasetOperation.Succeeded : DatasetOperation.Failed,
                Error = error,
                FinishedAt = timeProvider.GetUtcNow(),
            };
            Replace(finished);
            await WriteStateAsync();
            metrics.DatasetOperationFinished(operation.Kind, finished.State, created?.RowCount ?? 0, finished.FinishedAt.Value - finished.StartedAt);
            if (created is not null)
            {
                await GrainFactory.GetGrain<ICatalogGrain>(ICatalogGrain.Datasets).AddAsync(Name);
                await TellParentsAsync(created);
            }
        }
        finally
        {
            _running.Remove(operation.Id);
            done.TrySetResult();
        }
    }

    private async Task<DatasetSummary> SummarizeAsync(string dataset, DatasetVersionInfo info, IReadOnlyList<TransformStep> steps, IReadOnlyList<string>? columns, CancellationToken cancellationToken)
    {
        var sketches = await Task.WhenAll(Enumerable.Range(0, info.PartitionCount).Select(i => ClusterFailures.RetryAsync(() => Partition(info, i, dataset).SketchAsync(steps, columns, cancellationToken))));
        return await Task.Run(() => DatasetSketch.Merge([.. sketches.Select(b => DatasetSketch.FromBytes(b))]).Summarize(), cancellationToken);
    }

    /// <param name="dataset">The dataset <paramref name="info"/> belongs to; default this one.</param>
    private IPartitionGrain Partition(DatasetVersionInfo info, int index, string? dataset = null) =>
        DatasetFiles.Partition(GrainFactory, dataset ?? Name, info, index);

    /// <summary>A version of this or another dataset, or a 400 naming <paramref name="field"/>.</summary>
    private async Task<DatasetVersionInfo> VersionOfAsync(string dataset, int? version, string field)
    {
        if (dataset == Name)
        {
            return Version(version);
        }

        var info = await GrainFactory.GetGrain<IDatasetGrain>(dataset).GetAsync();
        return info?.Versions.LastOrDefault(v => version is null || v.Version == version)
            ?? throw FieldError.Invalid($"{field}: dataset '{dataset}' has no version {version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "yet"}.", field);
    }

    /// <summary>The resolved steps that made a transformed version, to apply them again unchanged.</summary>
    private async Task<IReadOnlyList<TransformStep>> StepsOfAsync(StepSource from)
    {
        if (string.IsNullOrWhiteSpace(from.Dataset))
        {
            throw FieldError.Invalid("from needs 'dataset' (and optionally 'version'): a version made by transform steps.", "from.dataset");
        }

        var version = await VersionOfAsync(from.Dataset, from.Version, "from");
        return version.Lineage is { Operation: "transform", Steps.Count: > 0 } lineage
            ? lineage.Steps
            : throw FieldError.Invalid($"from: dataset '{from.Dataset}' version {version.Version} was made by {version.Lineage.Operation}, not by transform steps; name a transformed version.", "from");
    }

    private DatasetVersionInfo Version(int? version)
    {
        if (state.State.Versions.Count == 0)
        {
            throw new KeyNotFoundException($"Dataset '{Name}' has no versions; import one first.");
        }

        return version is null
            ? state.State.Versions[^1]
            : state.State.Versions.FirstOrDefault(v => v.Version == version)
                ?? throw new KeyNotFoundException($"Dataset '{Name}' has no version {version}. Versions: {string.Join(", ", state.State.Versions.Select(v => v.Version))}.");
    }

    private DatasetOperation Live(DatasetOperation operation) =>
        _running.TryGetValue(operation.Id, out var running)
            ? operation with
            {
                BytesRead = running.Progress.BytesRead,
                TotalBytes = running.Progress.TotalBytes,
                RowsRead = running.Progress.RowsRead,
                BadRecords = running.Progress.BadRecords,
                QuarantinePath = running.Progress.QuarantinePath,
            }
            : operation;

    private void Replace(DatasetOperation operation)
    {
        var index = state.State.Operations.FindIndex(o => o.Id == operation.Id);
        if (index >= 0)
        {
            state.State.Operations[index] = operation;
        }
    }

    private Task WriteStateAsync() => _writer.WriteAsync();

    private static string ErrorMessage(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: 1 } aggregate => ErrorMessage(aggregate.InnerExceptions[0]),
        _ => e.Message,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} of dataset {Dataset} failed: {Reason}")]
    private static partial void LogOperationFailed(ILogger logger, string kind, string dataset, string reason);
}
