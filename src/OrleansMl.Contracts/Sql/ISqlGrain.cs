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

    /// <summary>The rows of a page when the caller does not say.</summary>
    public const int DefaultPageRows = 10_000;

    /// <summary>Runs <paramref name="request"/>'s query.</summary>
    /// <exception cref="ArgumentException">The query is invalid (syntax, a name, a type, an unknown dataset); the field is <c>query</c> and the message points at where.</exception>
    [Alias("QueryAsync")]
    Task<SqlResult> QueryAsync(SqlRequest request, CancellationToken cancellationToken = default);

    /// <summary>Rows <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="rows"/> of a query run with <see cref="SqlRequest.Pages"/>; <see cref="SqlResult.TotalRows"/> says how many there are.</summary>
    /// <exception cref="KeyNotFoundException">No rows are kept under <paramref name="id"/> (never, deleted, or expired).</exception>
    [Alias("ReadPageAsync")]
    Task<SqlResult> ReadPageAsync(string id, long offset, int rows, CancellationToken cancellationToken = default);

    /// <summary>Cancels the query running under <paramref name="id"/> and deletes the rows kept under it: whether there was either.</summary>
    [Alias("StopAsync")]
    Task<bool> StopAsync(string id);
}
