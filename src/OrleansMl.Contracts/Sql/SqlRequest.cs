namespace OrleansMl.Sql;

/// <summary>
/// A query and the most rows its answer may hold (default 10,000, at most <see cref="ISqlGrain.MaxRowsLimit"/>);
/// with <see cref="Into"/> (or <c>CREATE DATASET name AS</c>) every row is written as a new version of that dataset instead.
/// <see cref="Id"/> names the query while it runs (so it can be cancelled) and its kept rows; with <see cref="Pages"/>
/// every row is kept (in the store, never held whole) and read page by page with <see cref="ISqlGrain.ReadPageAsync"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("orleansml.SqlRequest")]
public sealed record SqlRequest(
    [property: Id(0)] string Query,
    [property: Id(1)] int? MaxRows = null,
    [property: Id(2)] string? Into = null,
    [property: Id(3)] string? Id = null,
    [property: Id(4)] bool Pages = false);
