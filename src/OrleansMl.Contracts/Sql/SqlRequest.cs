namespace OrleansMl.Sql;

/// <summary>
/// A query and the most rows its answer may hold (default 10,000, at most <see cref="ISqlGrain.MaxRowsLimit"/>);
/// with <see cref="Into"/> (or <c>CREATE DATASET name AS</c>) every row is written as a new version of that dataset instead.
/// </summary>
[GenerateSerializer, Immutable, Alias("orleansml.SqlRequest")]
public sealed record SqlRequest(
    [property: Id(0)] string Query,
    [property: Id(1)] int? MaxRows = null,
    [property: Id(2)] string? Into = null);
