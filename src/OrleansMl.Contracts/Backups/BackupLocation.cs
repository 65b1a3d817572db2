namespace OrleansMl.Backups;

/// <summary>
/// Where a backup is written or a restore reads from: exactly one of a folder on the server (under
/// <c>OrleansMl:Backup:Roots</c> or the data directory's <c>backups</c> folder) and a blob container
/// of the platform's storage account (Azure storage only).
/// </summary>
[GenerateSerializer, Immutable, Alias("orleansml.BackupLocation")]
public sealed record BackupLocation(
    [property: Id(0)] string? Path = null,
    [property: Id(1)] string? Container = null)
{
    public override string ToString() => Path is not null ? $"folder '{Path}'" : $"container '{Container}'";
}
