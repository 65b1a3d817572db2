namespace OrleansMl.Datasets;

/// <summary>What a partition grain scores: its rows with a model version, keeping <see cref="Keep"/>, written to <see cref="OutputPath"/>.</summary>
[GenerateSerializer, Immutable, Alias("orleansml.PartitionScore")]
public sealed record PartitionScore(
    [property: Id(0)] string Model,
    [property: Id(1)] int Version,
    [property: Id(2)] IReadOnlyList<string> Keep,
    [property: Id(3)] string OutputPath);
