using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Serialization;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Backups;

/// <summary>
/// Runs one backup or restore at a time for the cluster, off the grain's scheduler, and keeps the
/// jobs of this activation (it stays active while one runs); the job calls grains through the silo's
/// own <see cref="IGrainFactory"/>, not the activation's. Reentrant: status calls answer while a
/// job runs.
/// </summary>
[Reentrant]
[GrainType("orleansml.backup")]
public sealed partial class BackupGrain(
    IGrainFactory grains,
    IArtifactStore store,
    Serializer serializer,
    IOptions<BackupOptions> options,
    TimeProvider time,
    ILogger<BackupGrain> logger) : Grain, IBackupGrain
{
    private const int MaxJobs = 20;

    /// <summary>Newest first.</summary>
    private readonly List<BackupProgress> _jobs = [];

    public async Task<BackupJob> StartBackupAsync(BackupLocation location, string user)
    {
        ThrowIfRunning();
        var target = BackupLocations.Open(location, options.Value);
        await foreach (var _ in target.ListAsync())
        {
            throw new ResourceConflictException($"The {location} holds files already; a backup needs an empty one.");
        }

        return Start(BackupJob.Backup, location, user, progress =>
            new BackupWriter(grains, serializer, store, target, progress, time).RunAsync(user, CancellationToken.None));
    }

    public async Task<BackupJob> StartRestoreAsync(BackupLocation location, string user)
    {
        ThrowIfRunning();
        var source = BackupLocations.Open(location, options.Value);
        var manifest = await BackupManifest.ReadAsync(source, CancellationToken.None)
            ?? throw FieldError.Invalid($"The {location} holds no complete backup: it has no {BackupManifest.FileName}.", location.Path is null ? "container" : "path");
        if ((await BackupResource.ListAsync(grains)).Take(5).ToList() is { Count: > 0 } present)
        {
            throw new ResourceConflictException($"A restore needs an empty platform; this one has {string.Join(", ", present)}. Restore into a new platform (an empty data directory or storage account).");
        }

        return Start(BackupJob.Restore, location, user, progress =>
            new BackupReader(grains, store, source, manifest, progress).RunAsync(CancellationToken.None));
    }

    public async Task<BackupJob?> GetAsync(string id, TimeSpan wait)
    {
        if (_jobs.Find(j => j.Id == id) is not { } job)
        {
            return null;
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.WhenAny(job.Done.Task, Task.Delay(wait < IBackupGrain.MaxWait ? wait : IBackupGrain.MaxWait, time));
        }

        return job.Snapshot();
    }

    public Task<IReadOnlyList<BackupJob>> ListAsync() => Task.FromResult<IReadOnlyList<BackupJob>>([.. _jobs.Select(j => j.Snapshot())]);

    private void ThrowIfRunning()
    {
        if (_jobs.Find(j => !j.Done.Task.IsCompleted) is { } running)
        {
            throw new ResourceConflictException($"A {running.Snapshot().Kind} is running (job {running.Id}); one backup or restore runs at a time.");
        }
    }

    private BackupJob Start(string kind, BackupLocation location, string user, Func<BackupProgress, Task> work)
    {
        ThrowIfRunning(); // again: another start may have interleaved with this one's checks
        var progress = new BackupProgress(Guid.NewGuid().ToString("N"), kind, location, user, time.GetUtcNow());
        _jobs.Insert(0, progress);
        if (_jobs.Count > MaxJobs)
        {
            _jobs.RemoveAt(_jobs.Count - 1);
        }

        DelayDeactivation(TimeSpan.FromDays(1)); // the job's record lives in this activation
        LogStarted(logger, kind, progress.Id, location.ToString(), user);
        _ = Task.Run(async () =>
        {
            try
            {
                await work(progress);
                progress.Finish(time.GetUtcNow(), null);
                LogFinished(logger, kind, progress.Id, progress.Files, progress.Bytes);
            }
            catch (Exception e)
            {
                LogFailed(logger, e, kind, progress.Id);
                progress.Finish(time.GetUtcNow(), e is ArgumentException or ResourceConflictException or InvalidOperationException
                    ? e.Message
                    : $"The {kind} stopped: {e.GetType().Name}: {e.Message}");
            }
        });
        return progress.Snapshot();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started {Kind} {Id} ({Location}) for {User}")]
    private static partial void LogStarted(ILogger logger, string kind, string id, string location, string user);

    [LoggerMessage(Level = LogLevel.Information, Message = "Finished {Kind} {Id}: {Files} files, {Bytes} bytes")]
    private static partial void LogFinished(ILogger logger, string kind, string id, long files, long bytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Kind} {Id} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string kind, string id);
}
