namespace OrleansMl.Datasets;

/// <summary>
/// What a partition grain writes: the steps (already resolved) and one or two outputs. With a split,
/// rows whose seeded hash falls below <see cref="TestFraction"/> go to the second output.
/// </summary>
/// <param name="FirstRow">The global position of this partition's first row (for the split hash).</param>
[GenerateSerializer, Immutable, Alias("orleansml.PartitionTransform")]
public sealed record PartitionTransform(
    [property: Id(0)] IReadOnlyList<TransformStep> Steps,
    [property: Id(1)] IReadOnlyList<string> OutputPaths,
    [property: Id(2)] double? TestFraction = null,
    [property: Id(3)] long Seed = 0,
    [property: Id(4)] long FirstRow = 0);
