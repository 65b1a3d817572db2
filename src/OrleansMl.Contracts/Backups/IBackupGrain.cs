namespace OrleansMl.Backups;

/// <summary>
/// Runs backups and restores, one at a time for the cluster (key <see cref="Key"/>), in the
/// background; callers follow a job by its id.
/// </summary>
[Alias("orleansml.IBackupGrain")]
public interface IBackupGrain : IGrainWithStringKey
{
    public const string Key = "cluster";

    /// <summary>The longest one <see cref="GetAsync"/> waits; <see cref="Waiting"/> calls it again for longer.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(20);

    /// <summary>Starts writing a snapshot of every resource and the artifacts to <paramref name="location"/>, which must be empty.</summary>
    /// <exception cref="ArgumentException">The location is invalid; the message names the field.</exception>
    /// <exception cref="ResourceConflictException">A backup or restore is running, or the location holds something already.</exception>
    [Alias("StartBackupAsync")]
    Task<BackupJob> StartBackupAsync(BackupLocation location, string user);

    /// <summary>Starts bringing the backup at <paramref name="location"/> back into this platform, which must be empty (no dataset, experiment, model, endpoint or workspace).</summary>
    /// <exception cref="ArgumentException">The location is invalid or holds no complete backup.</exception>
    /// <exception cref="ResourceConflictException">A backup or restore is running, or the platform is not empty.</exception>
    [Alias("StartRestoreAsync")]
    Task<BackupJob> StartRestoreAsync(BackupLocation location, string user);

    /// <summary>The job, once it finished or <paramref name="wait"/> (at most <see cref="MaxWait"/>) passed; null when this activation does not know it.</summary>
    [Alias("GetAsync")]
    Task<BackupJob?> GetAsync(string id, TimeSpan wait);

    /// <summary>The jobs this activation ran, newest first.</summary>
    [Alias("ListAsync")]
    Task<IReadOnlyList<BackupJob>> ListAsync();
}
