namespace OrleansMl.Datasets;

/// <summary>One immutable version of a dataset.</summary>
/// <param name="Path">Artifact folder holding part-NNNNN.parquet files and manifest.json.</param>
/// <param name="Bytes">Total size of the Parquet partition files.</param>
[GenerateSerializer, Immutable, Alias("orleansml.DatasetVersionInfo")]
public sealed record DatasetVersionInfo(
    [property: Id(0)] int Version,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] IReadOnlyList<DatasetColumn> Columns,
    [property: Id(3)] long RowCount,
    [property: Id(4)] IReadOnlyList<long> PartitionRows,
    [property: Id(5)] long Bytes,
    [property: Id(6)] string Path,
    [property: Id(7)] DatasetLineage Lineage)
{
    public int PartitionCount => PartitionRows.Count;
}
