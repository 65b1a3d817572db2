namespace OrleansMl.Models;

[GenerateSerializer, Alias("orleansml.ModelState")]
public sealed class ModelState
{
    [Id(0)] public List<ModelVersionInfo> Versions { get; set; } = [];

    [Id(1)] public Dictionary<string, int> Aliases { get; set; } = new(StringComparer.Ordinal);

    [Id(2)] public List<AliasChange> History { get; set; } = [];

    /// <summary>Version numbers are never reused, even after a delete.</summary>
    [Id(3)] public int NextVersion { get; set; } = 1;

    /// <summary>The versions each endpoint serves (its routes and shadow).</summary>
    [Id(4)] public Dictionary<string, List<int>> EndpointUses { get; set; } = new(StringComparer.Ordinal);
}
