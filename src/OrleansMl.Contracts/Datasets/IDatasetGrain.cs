namespace OrleansMl.Datasets;

/// <summary>
/// A named dataset: its immutable versions, their lineage, and the operations that create them.
/// Imports, transforms and splits run in the background (watch them with <see cref="GetOperationAsync"/>
/// or <see cref="WaitAsync"/>); a version becomes visible only when its files and manifest are complete.
/// Reads (describe, head, sample) fan out to every partition grain at once and merge the results.
/// </summary>
[Alias("orleansml.IDatasetGrain")]
public interface IDatasetGrain : IGrainWithStringKey, Backups.IRestorableGrain
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(20);

    /// <summary>The dataset, or null when it has no versions and no operations.</summary>
    [Alias("GetAsync")]
    Task<DatasetInfo?> GetAsync();

    /// <summary>Starts importing a source as the next version.</summary>
    /// <exception cref="ArgumentException">The request is invalid; the message names the field.</exception>
    [Alias("StartImportAsync")]
    Task<DatasetOperation> StartImportAsync(ImportRequest request);

    /// <summary>Starts applying steps to a version; the result is the next version.</summary>
    [Alias("StartTransformAsync")]
    Task<DatasetOperation> StartTransformAsync(TransformRequest request);

    /// <summary>Scores another dataset's version (or this one's) with a model version into this dataset's next version, in the partition grains.</summary>
    [Alias("StartScoreAsync")]
    Task<DatasetOperation> StartScoreAsync(ScoreRequest request);

    /// <summary>Starts a seeded train/test split of a version into two new datasets.</summary>
    [Alias("StartSplitAsync")]
    Task<DatasetOperation> StartSplitAsync(SplitRequest request);

    /// <summary>An operation by id, or null.</summary>
    [Alias("GetOperationAsync")]
    Task<DatasetOperation?> GetOperationAsync(string operationId);

    /// <summary>
    /// Waits up to <paramref name="maxWait"/>, at most <see cref="MaxWait"/> (under the grain call
    /// timeout), for an operation to finish and returns it as it is then; call again to wait longer.
    /// </summary>
    [Alias("WaitAsync")]
    Task<DatasetOperation?> WaitAsync(string operationId, TimeSpan maxWait);

    /// <summary>
    /// Stops a running import: it ends <c>cancelled</c> and leaves no files (waits up to <see cref="MaxWait"/>
    /// for that). A finished operation is returned as it is; other kinds cannot be cancelled (400).
    /// </summary>
    /// <exception cref="KeyNotFoundException">There is no such operation.</exception>
    [Alias("CancelOperationAsync")]
    Task<DatasetOperation> CancelOperationAsync(string operationId);

    /// <summary>Statistics of every column (or the chosen ones) of a version, as a JSON document; cached per version.</summary>
    [Alias("DescribeAsync")]
    Task<string> DescribeAsync(int? version = null, IReadOnlyList<string>? columns = null, CancellationToken cancellationToken = default);

    /// <summary>The first rows of a version.</summary>
    [Alias("HeadAsync")]
    Task<DatasetRows> HeadAsync(int? version = null, int rows = 10);

    /// <summary>A uniform random sample of rows without replacement; the same seed gives the same rows.</summary>
    [Alias("SampleAsync")]
    Task<DatasetRows> SampleAsync(int? version = null, int rows = 10, long seed = 42);

    /// <summary>The partition grains of a version: where they run and what they cache.</summary>
    [Alias("GetPartitionsAsync")]
    Task<IReadOnlyList<PartitionInfo>> GetPartitionsAsync(int? version = null);

    /// <summary>
    /// Deletes one version and its files. Refused (409, naming what) while an operation of this dataset
    /// runs, a running experiment reads the version, or a k-NN model version answers from its rows. The
    /// number is never reused.
    /// </summary>
    /// <exception cref="KeyNotFoundException">There is no such version.</exception>
    [Alias("DeleteVersionAsync")]
    Task DeleteVersionAsync(int version);

    /// <summary>Deletes every version (under the same conditions as <see cref="DeleteVersionAsync"/>) and the dataset's other files.</summary>
    /// <exception cref="KeyNotFoundException">There is no such dataset.</exception>
    [Alias("DeleteAsync")]
    Task DeleteAsync();

    /// <summary>
    /// Deletes the files of those of <paramref name="versions"/> the dataset does not know: not listed,
    /// not being deleted, not being written by one of its operations or splits. Returns the ones deleted.
    /// The caller chooses only folders untouched for long (retention), so a version another dataset's
    /// split is writing here is never among them.
    /// </summary>
    [Alias("CollectOrphansAsync")]
    Task<IReadOnlyList<int>> CollectOrphansAsync(IReadOnlyList<int> versions);

    /// <summary>Reserves the next version number for files another dataset's operation writes (split); internal to the platform.</summary>
    [Alias("ReserveVersionAsync")]
    Task<int> ReserveVersionAsync();

    /// <summary>Makes a version written under a reserved number visible (split); internal to the platform.</summary>
    [Alias("AddVersionAsync")]
    Task AddVersionAsync(DatasetVersionInfo version);

    /// <summary>
    /// Records that <paramref name="use"/> read one of this dataset's versions (its lineage graph); internal to the platform.
    /// One-way: the caller never waits, so a dataset busy with the very operation that made the use (a split writing its
    /// outputs) cannot deadlock with them; a use lost with a silo only leaves the graph without that edge.
    /// </summary>
    [Alias("RecordUseAsync"), Orleans.Concurrency.OneWay]
    Task RecordUseAsync(DatasetUse use);

    /// <summary>What read <paramref name="version"/>, newest first (the last <c>DatasetState.MaxUses</c> uses of the dataset are kept).</summary>
    [Alias("GetUsesAsync")]
    Task<IReadOnlyList<DatasetUse>> GetUsesAsync(int version);
}
