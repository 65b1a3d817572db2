namespace OrleansMl.Storage.Artifacts;

/// <summary>
/// Where everything that can grow without bound lives: dataset partitions, models, checkpoints,
/// metric logs. Paths are relative, '/'-separated (see <see cref="ArtifactPath"/>). Content is
/// streamed in both directions, never buffered whole.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Writes <paramref name="content"/> (read to its end) to <paramref name="path"/>; readers see the old or the new content, never a mix.</summary>
    /// <exception cref="ArtifactConditionFailedException"><paramref name="condition"/> does not hold.</exception>
    Task<ArtifactInfo> WriteAsync(string path, Stream content, ArtifactWriteCondition condition = default, CancellationToken cancellationToken = default);

    /// <summary>Opens the artifact for reading; the stream yields the content as of the moment it was opened.</summary>
    /// <exception cref="ArtifactNotFoundException">There is no artifact at <paramref name="path"/>.</exception>
    Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>The artifact's length, ETag and time of last change, or null when there is none.</summary>
    Task<ArtifactInfo?> GetInfoAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Every artifact whose path starts with <paramref name="prefix"/>, in ordinal order of path.</summary>
    IAsyncEnumerable<ArtifactInfo> ListAsync(string prefix = "", CancellationToken cancellationToken = default);

    /// <summary>Deletes the artifact; false when there was none.</summary>
    Task<bool> DeleteAsync(string path, CancellationToken cancellationToken = default);
}
