namespace OrleansMl.Storage.Artifacts;

/// <summary>No artifact exists at <see cref="Path"/>.</summary>
public sealed class ArtifactNotFoundException(string path, Exception? innerException = null)
    : Exception($"No artifact at '{path}'.", innerException)
{
    public string Path { get; } = path;
}
