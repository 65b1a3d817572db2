namespace OrleansMl.Sql;

/// <summary>
/// Coordinates SQL queries: plans a query against the version it reads, runs the partition stage in
/// every partition grain of that version at once and merges what they return. A stateless worker,
/// so every silo coordinates the queries that reach it.
/// </summary>
[Alias("orleansml.ISqlGrain")]
public interface ISqlGrain : IGrainWithIntegerKey
{
    /// <summary>The most rows one answer may hold.</summary>
    public const int MaxRowsLimit = 100_000;

    /// <summary>Runs <paramref name="request"/>'s query.</summary>
    /// <exception cref="ArgumentException">The query is invalid (syntax, a name, a type, an unknown dataset); the field is <c>query</c> and the message points at where.</exception>
    [Alias("QueryAsync")]
    Task<SqlResult> QueryAsync(SqlRequest request, CancellationToken cancellationToken = default);
}
