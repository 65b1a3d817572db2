using OrleansMl.Sql;

namespace OrleansMl.Datasets;

/// <summary>
/// One partition of a dataset version, keyed "{dataset}/v{version}/{index}". It loads its Parquet file
/// lazily into an in-memory columnar cache on first use, and frees it when deactivated when idle.
/// Placement spreads the partitions of a version evenly over the silos.
/// </summary>
[Alias("orleansml.IPartitionGrain")]
public interface IPartitionGrain : IGrainWithStringKey
{
    [Alias("GetInfoAsync")]
    Task<PartitionInfo> GetInfoAsync();

    /// <summary>Lets the cached columns go (the silo's cache budget is spent); the next use reads them again from the store.</summary>
    [Alias("DropCacheAsync"), Orleans.Concurrency.AlwaysInterleave]
    Task DropCacheAsync();

    /// <summary>A mergeable statistics sketch (binary) of the rows after applying <paramref name="steps"/>.</summary>
    [Alias("SketchAsync")]
    Task<byte[]> SketchAsync(IReadOnlyList<TransformStep> steps, IReadOnlyList<string>? columns, CancellationToken cancellationToken = default);

    /// <summary>Distinct non-null values of a text column after applying <paramref name="steps"/>, sorted ordinally.</summary>
    [Alias("DistinctAsync")]
    Task<IReadOnlyList<string>> DistinctAsync(IReadOnlyList<TransformStep> steps, string column, int maxValues);

    /// <summary>The first rows, as JSON objects.</summary>
    [Alias("HeadAsync")]
    Task<IReadOnlyList<string>> HeadAsync(int rows);

    /// <summary>The rows with the smallest seeded hash keys (bottom-k sampling), as JSON objects with their keys.</summary>
    [Alias("SampleAsync")]
    Task<PartitionSample> SampleAsync(int rows, long seed);

    /// <summary>Exact k nearest neighbours of each query among this partition's rows (the local part of a distributed k-NN search).</summary>
    [Alias("KnnSearchAsync"), Orleans.Concurrency.AlwaysInterleave]
    Task<Knn.KnnNeighbors> KnnSearchAsync(Knn.KnnSearch search, CancellationToken cancellationToken = default);

    /// <summary>The loss and gradient of a linear model over this partition's rows (one step of data-parallel training with exact gradient aggregation).</summary>
    [Alias("LinearGradientAsync")]
    Task<Linear.LinearGradient> LinearGradientAsync(Linear.LinearGradientRequest request, CancellationToken cancellationToken = default);

    /// <summary>Starts a data-parallel torch replica of a run over this partition's rows (replacing one of the same run); answers its rows.</summary>
    [Alias("TorchStartAsync")]
    Task<int> TorchStartAsync(Torch.TorchWorkerStart start, CancellationToken cancellationToken = default);

    /// <summary>One synchronous step of a run's torch replica: apply the averaged gradient, compute the next.</summary>
    [Alias("TorchStepAsync")]
    Task<Torch.TorchWorkerGradient> TorchStepAsync(Torch.TorchWorkerStep step, CancellationToken cancellationToken = default);

    /// <summary>The run's replica: its weights as a torch model file (with its batch-norm statistics) and its optimiser state.</summary>
    [Alias("TorchStateAsync")]
    Task<Torch.TorchWorkerState> TorchStateAsync(string run);

    /// <summary>Ends the run's replica here (nothing when there is none).</summary>
    [Alias("TorchStopAsync")]
    Task TorchStopAsync(string run);

    /// <summary>Fits an ML.NET model on this partition's rows and returns it as an ML.NET .zip (a member of a per-partition ensemble).</summary>
    [Alias("TrainLocalModelAsync")]
    Task<byte[]> TrainLocalModelAsync(Linear.LocalModelRequest request, CancellationToken cancellationToken = default);

    /// <summary>Applies resolved steps and writes the result to each output path; returns the rows and bytes written per output.</summary>
    [Alias("TransformAsync")]
    Task<PartitionWrite> TransformAsync(PartitionTransform transform, CancellationToken cancellationToken = default);

    /// <summary>Scores this partition's rows with a model version (loaded once per silo) and writes the kept columns and the predictions.</summary>
    [Alias("ScoreAsync")]
    Task<PartitionWrite> ScoreAsync(PartitionScore score, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs the partition stage of a SQL query (see <c>SqlQuery</c>) on this partition's rows, joined to
    /// the stage's broadcast relations: its filtered, projected and locally ordered rows, or its partial
    /// aggregates, as a Parquet file's bytes (empty when no row qualifies).
    /// </summary>
    /// <exception cref="ArgumentException">The query does not fit this partition's columns; the field is <c>query</c>.</exception>
    [Alias("QueryAsync")]
    Task<byte[]> QueryAsync(SqlStage stage, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs a SQL stage whose rows need no merge (no aggregate, order or limit) and writes them as one
    /// part file at <paramref name="path"/>, for <c>CREATE DATASET … AS</c>: the rows never travel.
    /// </summary>
    [Alias("WriteQueryAsync")]
    Task<PartitionWrite> WriteQueryAsync(SqlStage stage, string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes this partition's rows for a join's hash exchange (<see cref="SqlStage.Exchange"/>): as relation
    /// <paramref name="relation"/> of the query (the driving one or the one exchanged with it), filtered and
    /// split by a hash of the join keys. With <paramref name="relation"/> <see cref="SqlExchange.Groups"/>, writes
    /// its partial aggregates split by a hash of the group keys instead (an exchange by group straight from the
    /// partitions, for states too large to send back). Each non-empty bucket is one file; answers the rows per bucket.
    /// </summary>
    [Alias("ScatterQueryAsync")]
    Task<long[]> ScatterQueryAsync(SqlStage stage, int relation, int partition, CancellationToken cancellationToken = default);
}
