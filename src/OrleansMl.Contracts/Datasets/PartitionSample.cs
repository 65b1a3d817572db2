namespace OrleansMl.Datasets;

/// <summary>A partition's part of a sample: row JSON objects and their hash keys, smallest first.</summary>
[GenerateSerializer, Immutable, Alias("orleansml.PartitionSample")]
public sealed record PartitionSample(
    [property: Id(0)] IReadOnlyList<ulong> Keys,
    [property: Id(1)] IReadOnlyList<string> Rows);
