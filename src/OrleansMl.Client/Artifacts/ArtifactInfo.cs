namespace OrleansMl.Client;

/// <summary>One artifact in the store.</summary>
/// <param name="ETag">Changes with every write.</param>
public sealed record ArtifactInfo(string Path, long Length, string ETag, DateTimeOffset LastModified);
