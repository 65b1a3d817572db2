using OrleansMl.Datasets;

namespace OrleansMl.Sql;

/// <summary>A relation a query joins, held whole: all its columns (for planning), and the rows of the columns the query reads as Parquet bytes.</summary>
[GenerateSerializer, Immutable, Alias("orleansml.SqlTable")]
public sealed record SqlTable(
    [property: Id(0)] IReadOnlyList<DatasetColumn> Columns,
    [property: Id(1)] byte[] Rows);
