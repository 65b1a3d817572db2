namespace OrleansMl.Sql;

/// <summary>The <c>OrleansMl:Sql</c> section: how much one SQL query may hold, and when it moves rows through the store instead.</summary>
public sealed class SqlOptions
{
    public const string SectionName = "OrleansMl:Sql";

    /// <summary>
    /// The most bytes (in memory) one query may hold in one grain — the coordinator's relations held
    /// whole and the parts it merges, or one bucket of a hash exchange — so one query cannot exhaust a
    /// silo; past it the query fails with a 400 that says what to change. Default 1 GiB.
    /// </summary>
    public long QueryBytes { get; set; } = 1L << 30;

    /// <summary>
    /// A dataset joined to the one a query is driven from is sent whole to each of its partitions when
    /// the columns the query reads of it are estimated under this many bytes; a larger one is joined by
    /// a hash exchange through the store (both split by the join keys, each bucket joined in its own
    /// grain). Default 64 MiB; 0 exchanges every join of two datasets.
    /// </summary>
    public long BroadcastBytes { get; set; } = 64L << 20;

    /// <summary>
    /// The most bytes of partial aggregates the coordinator merges itself; past it a GROUP BY whose
    /// groups need no ordering across buckets is exchanged by a hash of its keys and merged bucket by
    /// bucket. Default 256 MiB.
    /// </summary>
    public long MergeBytes { get; set; } = 256L << 20;

    /// <summary>The problems of these settings, each naming its setting; empty when they are valid.</summary>
    public IEnumerable<string> Validate()
    {
        if (QueryBytes < 1 << 20)
        {
            yield return $"{SectionName}:{nameof(QueryBytes)} must be at least 1048576 (1 MiB); got {QueryBytes}.";
        }

        foreach (var (key, value) in new[] { (nameof(BroadcastBytes), BroadcastBytes), (nameof(MergeBytes), MergeBytes) })
        {
            if (value < 0)
            {
                yield return $"{SectionName}:{key} must be 0 or more; got {value}.";
            }
        }
    }
}
