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

    private sealed record SqlQueryBody(string Query, int? MaxRows);
}
