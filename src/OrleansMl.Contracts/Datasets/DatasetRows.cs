namespace OrleansMl.Datasets;

/// <summary>Rows for a preview (head, sample): the columns, and the rows as a JSON array of objects.</summary>
[GenerateSerializer, Immutable, Alias("orleansml.DatasetRows")]
public sealed record DatasetRows(
    [property: Id(0)] IReadOnlyList<DatasetColumn> Columns,
    [property: Id(1)] string RowsJson,
    [property: Id(2)] int RowCount);
