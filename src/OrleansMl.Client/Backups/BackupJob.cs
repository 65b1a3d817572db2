namespace OrleansMl.Client;

/// <summary>Where a backup is written or a restore reads from: a folder on the server or a blob container of the platform's storage account.</summary>
public sealed record BackupLocation(string? Path = null, string? Container = null);

/// <summary>A backup or a restore, and how far it has got.</summary>
/// <param name="Kind">backup or restore.</param>
/// <param name="Status">running, succeeded or failed (see <see cref="IsFinished"/>).</param>
/// <param name="Resources">Datasets, experiments, models, endpoints and workspaces done so far.</param>
/// <param name="Changed">Resources that kept changing while the backup ran (an experiment still training).</param>
/// <param name="Error">Why it failed.</param>
public sealed record BackupJob(
    string Id,
    string Kind,
    BackupLocation Location,
    string Status,
    string StartedBy,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    int Resources,
    long Files,
    long Bytes,
    IReadOnlyList<string> Changed,
    string? Error)
{
    /// <summary>The job has stopped (its status is no longer <c>running</c>).</summary>
    public bool IsFinished => Status != "running";
}
