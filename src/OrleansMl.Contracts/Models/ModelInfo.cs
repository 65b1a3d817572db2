namespace OrleansMl.Models;

/// <summary>A registered model: its versions, where each alias points now, and every alias move ever made.</summary>
[GenerateSerializer, Immutable, Alias("orleansml.ModelInfo")]
public sealed record ModelInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] IReadOnlyList<ModelVersionInfo> Versions,
    [property: Id(2)] IReadOnlyDictionary<string, int> Aliases,
    [property: Id(3)] IReadOnlyList<AliasChange> History);
