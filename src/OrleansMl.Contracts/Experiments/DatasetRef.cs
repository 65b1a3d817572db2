namespace OrleansMl.Experiments;

/// <summary>A dataset version: <see cref="Version"/> null means the latest when the experiment is created (then pinned).</summary>
[GenerateSerializer, Immutable, Alias("orleansml.DatasetRef")]
public sealed record DatasetRef(
    [property: Id(0)] string Name,
    [property: Id(1)] int? Version = null);
