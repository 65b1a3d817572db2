namespace OrleansMl.Linear;

/// <summary>Asks a partition to fit an ML.NET model on its own rows (one member of a per-partition ensemble).</summary>
[GenerateSerializer, Immutable, Alias("orleansml.LocalModelRequest")]
public sealed record LocalModelRequest(
    [property: Id(0)] string FeatureColumn,
    [property: Id(1)] string LabelColumn,
    [property: Id(2)] string Task,
    [property: Id(3)] string Algorithm,
    [property: Id(4)] IReadOnlyDictionary<string, string> Params,
    [property: Id(5)] int Seed);
