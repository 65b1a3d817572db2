namespace OrleansMl.Backups;

/// <summary>A backup or a restore, running or finished.</summary>
/// <param name="Kind"><see cref="Backup"/> or <see cref="Restore"/>.</param>
/// <param name="Status"><see cref="Running"/>, <see cref="Succeeded"/> or <see cref="Failed"/>.</param>
/// <param name="Resources">Datasets, experiments (with their runs), models, endpoints and workspaces copied so far.</param>
/// <param name="Files">Artifacts copied so far.</param>
/// <param name="Bytes">Their bytes.</param>
/// <param name="Changed">Resources that kept changing while the backup ran (an experiment still training): their state is the last one read, with the files as they were after it.</param>
/// <param name="Error">Why it failed.</param>
[GenerateSerializer, Immutable, Alias("orleansml.BackupJob")]
public sealed record BackupJob(
    [property: Id(0)] string Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] BackupLocation Location,
    [property: Id(3)] string Status,
    [property: Id(4)] string StartedBy,
    [property: Id(5)] DateTimeOffset StartedAt,
    [property: Id(6)] DateTimeOffset? FinishedAt,
    [property: Id(7)] int Resources,
    [property: Id(8)] long Files,
    [property: Id(9)] long Bytes,
    [property: Id(10)] IReadOnlyList<string> Changed,
    [property: Id(11)] string? Error)
{
    public const string Backup = "backup";
    public const string Restore = "restore";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    public bool IsFinished => Status != Running;
}
