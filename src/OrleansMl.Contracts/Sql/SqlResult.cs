using OrleansMl.Datasets;

namespace OrleansMl.Sql;

/// <summary>
/// A query's answer: its columns, the rows as a JSON array of objects (as head and sample answer),
/// whether rows past <see cref="SqlRequest.MaxRows"/> were cut, and the dataset versions it read.
/// </summary>
[GenerateSerializer, Immutable, Alias("orleansml.SqlResult")]
public sealed record SqlResult(
    [property: Id(0)] IReadOnlyList<DatasetColumn> Columns,
    [property: Id(1)] string RowsJson,
    [property: Id(2)] int RowCount,
    [property: Id(3)] bool Truncated,
    [property: Id(4)] string Dataset,
    [property: Id(5)] int Version,
    [property: Id(6)] int Partitions)
{
    /// <summary>Every dataset version the query read, as <c>name@version</c>, in the order met (<see cref="Dataset"/> is the first).</summary>
    [Id(7)]
    public IReadOnlyList<string> Reads { get; init; } = [];

    /// <summary>With <see cref="SqlRequest.Into"/> or <c>CREATE DATASET</c>: the rows written to the new version (<see cref="Dataset"/>, <see cref="Version"/>); no rows are answered.</summary>
    [Id(8)]
    public long? Written { get; init; }

    /// <summary>The query's id (the caller's, or one the server gave it).</summary>
    [Id(9)]
    public string? Id { get; init; }

    /// <summary>With <see cref="SqlRequest.Pages"/>: every row of the answer, kept for <see cref="ISqlGrain.ReadPageAsync"/>; the answer's rows are its first page.</summary>
    [Id(10)]
    public long? TotalRows { get; init; }
}
