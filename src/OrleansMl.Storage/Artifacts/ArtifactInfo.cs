namespace OrleansMl.Storage.Artifacts;

/// <summary>What the store knows of one artifact.</summary>
/// <param name="Path">The normalized path (see <see cref="ArtifactPath"/>).</param>
/// <param name="ETag">Changes with every write; pass it to <see cref="ArtifactWriteCondition.IfMatch"/>.</param>
public sealed record ArtifactInfo(string Path, long Length, string ETag, DateTimeOffset LastModified);
