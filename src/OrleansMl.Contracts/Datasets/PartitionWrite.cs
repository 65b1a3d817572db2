namespace OrleansMl.Datasets;

/// <summary>Per output: rows and bytes written, and the output schema.</summary>
[GenerateSerializer, Immutable, Alias("orleansml.PartitionWrite")]
public sealed record PartitionWrite(
    [property: Id(0)] IReadOnlyList<long> Rows,
    [property: Id(1)] IReadOnlyList<long> Bytes,
    [property: Id(2)] IReadOnlyList<DatasetColumn> Columns);
