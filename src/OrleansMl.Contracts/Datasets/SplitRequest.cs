namespace OrleansMl.Datasets;

/// <summary>
/// Splits a version deterministically into two new datasets: a row goes to test when a seeded hash of
/// its position falls below <see cref="TestFraction"/>. Same version and seed → same split.
/// </summary>
/// <param name="TrainDataset">Default: {name}-train.</param>
/// <param name="TestDataset">Default: {name}-test.</param>
[GenerateSerializer, Immutable, Alias("orleansml.SplitRequest")]
public sealed record SplitRequest(
    [property: Id(0)] double TestFraction,
    [property: Id(1)] long Seed = 42,
    [property: Id(2)] int? Version = null,
    [property: Id(3)] string? TrainDataset = null,
    [property: Id(4)] string? TestDataset = null);
