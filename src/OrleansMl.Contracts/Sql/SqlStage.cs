namespace OrleansMl.Sql;

/// <summary>
/// What a partition grain runs of a query: the text of one SELECT (it plans it again, the same way the
/// coordinator did), the relation of its FROM that the partition's rows stand for, and every other
/// relation whole (a broadcast copy; null at <see cref="Driving"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("orleansml.SqlStage")]
public sealed record SqlStage(
    [property: Id(0)] string Query,
    [property: Id(1)] int MaxRows,
    [property: Id(2)] int Driving,
    [property: Id(3)] IReadOnlyList<SqlTable?> Tables);
