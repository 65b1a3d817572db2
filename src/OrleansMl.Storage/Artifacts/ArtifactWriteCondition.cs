namespace OrleansMl.Storage.Artifacts;

/// <summary>A precondition for <see cref="IArtifactStore.WriteAsync"/>; the default writes unconditionally.</summary>
public readonly record struct ArtifactWriteCondition
{
    private ArtifactWriteCondition(bool ifNotExists, string? ifMatch)
    {
        IfNotExists = ifNotExists;
        IfMatchETag = ifMatch;
    }

    /// <summary>The write succeeds only when no artifact exists at the path.</summary>
    public bool IfNotExists { get; }

    /// <summary>When set, the write succeeds only when the artifact exists with this ETag.</summary>
    public string? IfMatchETag { get; }

    public static ArtifactWriteCondition None => default;

    public static ArtifactWriteCondition NotExists => new(true, null);

    public static ArtifactWriteCondition IfMatch(string etag)
    {
        ArgumentException.ThrowIfNullOrEmpty(etag);
        return new(false, etag);
    }

    public override string ToString() =>
        IfNotExists ? "if-not-exists" : IfMatchETag is { } etag ? $"if-match {etag}" : "unconditional";
}
