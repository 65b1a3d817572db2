namespace OrleansMl.Client;

/// <summary>A registered model: its versions, where each alias points, and every alias move.</summary>
public sealed record ModelInfo(
    string Name,
    IReadOnlyList<ModelVersion> Versions,
    IReadOnlyDictionary<string, int> Aliases,
    IReadOnlyList<AliasChange> History);
