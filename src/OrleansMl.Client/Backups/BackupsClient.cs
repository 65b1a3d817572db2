namespace OrleansMl.Client;

/// <summary><c>/v1/admin</c>: backups and restores (admin keys). Start one, then follow it with <see cref="WaitAsync"/>.</summary>
public sealed class BackupsClient
{
    private const string Root = "v1/admin";

    private readonly ApiConnection _api;

    internal BackupsClient(ApiConnection api) => _api = api;

    /// <summary>Starts writing a snapshot of the whole platform to an empty folder on the server or a blob container.</summary>
    public Task<BackupJob> StartBackupAsync(BackupLocation location, CancellationToken ct = default) =>
        _api.SendAsync<BackupJob>(HttpMethod.Post, $"{Root}/backups", RequestBody.Json(location), ct);

    /// <summary>Starts bringing a backup back into this platform, which must be empty.</summary>
    public Task<BackupJob> StartRestoreAsync(BackupLocation location, CancellationToken ct = default) =>
        _api.SendAsync<BackupJob>(HttpMethod.Post, $"{Root}/restores", RequestBody.Json(location), ct);

    /// <summary>The job; with <paramref name="wait"/>, answered when it finishes or the wait passes.</summary>
    public Task<BackupJob> GetJobAsync(string id, TimeSpan? wait = null, CancellationToken ct = default) =>
        _api.GetAsync<BackupJob>(Query.With($"{Root}/jobs/{Query.Segment(id)}", ("wait", Query.WaitSeconds(wait))), ct);

    /// <summary>The jobs the platform knows, newest first.</summary>
    public Task<IReadOnlyList<BackupJob>> ListJobsAsync(CancellationToken ct = default) =>
        _api.GetAsync<IReadOnlyList<BackupJob>>($"{Root}/jobs", ct);

    /// <summary>Follows a job until it stops, reporting each state seen; a failure is returned, not thrown (see <see cref="BackupJob.Error"/>).</summary>
    public async Task<BackupJob> WaitAsync(BackupJob job, IProgress<BackupJob>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var current = job;
        while (!current.IsFinished)
        {
            current = await GetJobAsync(current.Id, _api.PollWait, ct).ConfigureAwait(false);
            progress?.Report(current);
        }

        return current;
    }
}
