using Microsoft.Extensions.Logging;
using Orleans.Storage;
using OrleansMl.Storage.FileSystem;

namespace OrleansMl.Hosting.GrainStorage;

/// <summary>
/// Grain state as one file per grain under a root directory, for the embedded single-process mode.
/// A file is a one-line JSON header (format, ETag, payload length and SHA-256) followed by the
/// payload from the configured <see cref="IGrainStorageSerializer"/>. Writes go to a temp file that
/// is flushed and renamed over the old one, so a crash leaves the old or the new state, never half.
/// A write whose ETag is not the stored one fails with <see cref="InconsistentStateException"/>;
/// a file that fails its checks fails with <see cref="GrainStateCorruptException"/> naming it.
/// </summary>
public sealed partial class LocalFileGrainStorage(
    string name,
    LocalFileGrainStorageOptions options,
    IGrainStorageSerializer serializer,
    ILogger<LocalFileGrainStorage> logger) : IGrainStorage
{
    private static readonly PathLocks Locks = new();
    private readonly string _root = Directory.CreateDirectory(Path.GetFullPath(options.RootDirectory)).FullName;

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = StateFilePath.For(_root, stateName, grainId);
        var stored = await GrainStateFile.ReadAsync(path).ConfigureAwait(false);
        if (stored is null)
        {
            ResetToDefault(grainState);
            return;
        }

        try
        {
            grainState.State = serializer.Deserialize<T>(stored.Value.Payload) ?? Activator.CreateInstance<T>();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new GrainStateCorruptException(path, $"its payload does not deserialize as {typeof(T).Name}", e);
        }

        grainState.ETag = stored.Value.ETag;
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = StateFilePath.For(_root, stateName, grainId);
        var payload = serializer.Serialize(grainState.State);
        using (await Locks.AcquireAsync(path, CancellationToken.None).ConfigureAwait(false))
        {
            await CheckETagAsync(path, stateName, grainId, grainState.ETag).ConfigureAwait(false);
            var etag = NewETag();
            await GrainStateFile.WriteAsync(path, etag, payload).ConfigureAwait(false);
            grainState.ETag = etag;
            grainState.RecordExists = true;
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = StateFilePath.For(_root, stateName, grainId);
        using (await Locks.AcquireAsync(path, CancellationToken.None).ConfigureAwait(false))
        {
            await CheckETagAsync(path, stateName, grainId, grainState.ETag).ConfigureAwait(false);
            if (options.DeleteStateOnClear)
            {
                File.Delete(path);
                ResetToDefault(grainState);
                return;
            }

            grainState.State = Activator.CreateInstance<T>();
            var etag = NewETag();
            await GrainStateFile.WriteAsync(path, etag, serializer.Serialize(grainState.State)).ConfigureAwait(false);
            grainState.ETag = etag;
            grainState.RecordExists = true;
        }
    }

    private async Task CheckETagAsync(string path, string stateName, GrainId grainId, string? expected)
    {
        var stored = await GrainStateFile.ReadAsync(path).ConfigureAwait(false);
        var current = stored?.ETag;
        if (!string.Equals(current, expected, StringComparison.Ordinal))
        {
            LogETagMismatch(logger, name, stateName, grainId, current, expected);
            throw new InconsistentStateException(
                $"Grain storage '{name}': state '{stateName}' of {grainId} in '{path}' has ETag '{current ?? "(none)"}', but the write expected '{expected ?? "(none)"}'; another activation changed it.",
                current,
                expected);
        }
    }

    private static void ResetToDefault<T>(IGrainState<T> grainState)
    {
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private static string NewETag() => Guid.NewGuid().ToString("N");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain storage {StorageName}: stale write to {StateName} of {GrainId} rejected (stored ETag {StoredETag}, expected {ExpectedETag})")]
    private static partial void LogETagMismatch(ILogger logger, string storageName, string stateName, GrainId grainId, string? storedETag, string? expectedETag);
}
