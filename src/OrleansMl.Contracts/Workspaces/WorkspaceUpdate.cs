namespace OrleansMl.Workspaces;

/// <summary>What a caller sets on a workspace.</summary>
/// <param name="Description">Free text, at most <see cref="MaxDescriptionLength"/> characters.</param>
/// <param name="Tags">At most <see cref="MaxTags"/> tags; keys at most <see cref="MaxTagKeyLength"/> characters, values at most <see cref="MaxTagValueLength"/>.</param>
[GenerateSerializer, Immutable, Alias("orleansml.WorkspaceUpdate")]
public sealed record WorkspaceUpdate(
    [property: Id(0)] string? Description,
    [property: Id(1)] IReadOnlyDictionary<string, string>? Tags)
{
    public const int MaxDescriptionLength = 4096;
    public const int MaxTags = 64;
    public const int MaxTagKeyLength = 128;
    public const int MaxTagValueLength = 1024;
}
