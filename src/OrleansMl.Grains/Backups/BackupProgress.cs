namespace OrleansMl.Backups;

/// <summary>A running job's counters, updated by the job and read by status calls.</summary>
internal sealed class BackupProgress(string id, string kind, BackupLocation location, string user, DateTimeOffset startedAt)
{
    private long _files;
    private long _bytes;
    private int _resources;
    private string _status = BackupJob.Running;
    private string? _error;
    private DateTimeOffset? _finishedAt;

    public string Id => id;

    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<string> Changed { get; set; } = [];

    public long Files => Interlocked.Read(ref _files);

    public long Bytes => Interlocked.Read(ref _bytes);

    public void Copied(long bytes)
    {
        Interlocked.Increment(ref _files);
        Interlocked.Add(ref _bytes, bytes);
    }

    public void ResourceDone() => Interlocked.Increment(ref _resources);

    public void Finish(DateTimeOffset at, string? error)
    {
        (_status, _error, _finishedAt) = (error is null ? BackupJob.Succeeded : BackupJob.Failed, error, at);
        Done.TrySetResult();
    }

    public BackupJob Snapshot() =>
        new(id, kind, location, _status, user, startedAt, _finishedAt, Volatile.Read(ref _resources), Files, Bytes, Changed, _error);
}
