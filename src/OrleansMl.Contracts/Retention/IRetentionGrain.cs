namespace OrleansMl.Retention;

/// <summary>
/// Deletes what the retention settings no longer keep (prediction logs, the audit log, metric
/// histories of long-finished runs). One activation for the cluster (key <see cref="Key"/>); every
/// silo asks it to sweep on a timer, and it sweeps at most once per interval.
/// </summary>
[Alias("orleansml.IRetentionGrain")]
public interface IRetentionGrain : IGrainWithStringKey
{
    public const string Key = "cluster";

    /// <summary>Sweeps now unless a sweep ran within <paramref name="notWithin"/>; returns what was deleted (null when skipped).</summary>
    [Alias("SweepAsync")]
    Task<RetentionReport?> SweepAsync(TimeSpan notWithin);
}
