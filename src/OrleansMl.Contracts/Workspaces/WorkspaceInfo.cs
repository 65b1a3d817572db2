namespace OrleansMl.Workspaces;

/// <summary>A workspace as stored.</summary>
/// <param name="Revision">Starts at 1 and grows by one with every update.</param>
[GenerateSerializer, Immutable, Alias("orleansml.WorkspaceInfo")]
public sealed record WorkspaceInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] string Description,
    [property: Id(2)] IReadOnlyDictionary<string, string> Tags,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset UpdatedAt,
    [property: Id(5)] long Revision);
