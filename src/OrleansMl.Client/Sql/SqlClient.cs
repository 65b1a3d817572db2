namespace OrleansMl.Client;

/// <summary><c>/v1/sql</c>: SELECT queries over datasets, run in their partition grains (reader keys).</summary>
public sealed class SqlClient
{
    private readonly ApiConnection _api;

    internal SqlClient(ApiConnection api) => _api = api;

    /// <summary>Runs <paramref name="query"/>; at most <paramref name="maxRows"/> rows (default 10,000, at most 100,000) come back, and <see cref="SqlResult.Truncated"/> says when more were cut.</summary>
    /// <exception cref="OrleansMlApiException">400 when the query is wrong; the problem names where.</exception>
    public Task<SqlResult> QueryAsync(string query, int? maxRows = null, CancellationToken ct = default) =>
        _api.SendAsync<SqlResult>(HttpMethod.Post, "v1/sql", RequestBody.Json(new SqlQueryBody(query, maxRows)), ct);

    /// <summary>
    /// Runs <paramref name="query"/> and writes every row as a new version of <paramref name="dataset"/>
    /// (as <c>CREATE DATASET dataset AS …</c>; scientist keys); its lineage holds the query and the versions it read.
    /// <see cref="SqlResult.Version"/> is the new version and <see cref="SqlResult.Written"/> its rows.
    /// </summary>
    /// <exception cref="OrleansMlApiException">400 when the query is wrong; 403 for a reader key.</exception>
    public Task<SqlResult> CreateDatasetAsync(string dataset, string query, CancellationToken ct = default) =>
        _api.SendAsync<SqlResult>(HttpMethod.Post, $"v1/sql?into={Uri.EscapeDataString(dataset)}", RequestBody.Json(new SqlQueryBody(query, null)), ct);

    private sealed record SqlQueryBody(string Query, int? MaxRows);
}
