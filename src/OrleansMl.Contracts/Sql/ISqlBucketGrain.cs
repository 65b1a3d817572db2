using OrleansMl.Datasets;

namespace OrleansMl.Sql;

/// <summary>
/// One bucket of a SQL hash exchange (see <see cref="SqlExchange"/>), keyed by the exchange's folder and
/// the bucket's number and placed at random, so the buckets of a query spread over the silos.
/// </summary>
[Alias("orleansml.ISqlBucketGrain")]
public interface ISqlBucketGrain : IGrainWithStringKey
{
    /// <summary>
    /// Reads the bucket's files and runs the stage on them: a join's bucket answers the partition stage
    /// (as a partition would); a group exchange's bucket merges and finishes its groups and answers the
    /// result rows. A Parquet file's bytes, empty when no row qualifies.
    /// </summary>
    /// <exception cref="ArgumentException">The bucket holds more than a query may hold; the field is <c>query</c>.</exception>
    [Alias("RunAsync")]
    Task<byte[]> RunAsync(SqlBucket bucket, CancellationToken cancellationToken = default);

    /// <summary>Runs the bucket to its final rows (a stage that needs no merge across buckets) and writes them as one part file at <paramref name="path"/>.</summary>
    [Alias("WriteAsync")]
    Task<PartitionWrite> WriteAsync(SqlBucket bucket, string path, CancellationToken cancellationToken = default);
}
