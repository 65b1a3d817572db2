using System.Runtime.CompilerServices;
using System.Text.Json;

namespace OrleansMl.Client;

/// <summary><c>/v1/sql</c>: SELECT queries over datasets, run in their partition grains (reader keys).</summary>
public sealed class SqlClient
{
    private readonly ApiConnection _api;

    internal SqlClient(ApiConnection api) => _api = api;

    /// <summary>Runs <paramref name="query"/> (cancelled on the server when <paramref name="ct"/> is); at most <paramref name="maxRows"/> rows (default 10,000, at most 100,000) come back, and <see cref="SqlResult.Truncated"/> says when more were cut.</summary>
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

    /// <summary>
    /// Runs <paramref name="query"/> keeping every row on the server (never held whole there) and answers the first
    /// <paramref name="pageRows"/> of them with <see cref="SqlResult.TotalRows"/>; read the rest with <see cref="ReadPageAsync"/>.
    /// Kept rows expire (a day by default) or go with <see cref="StopAsync"/>. <paramref name="id"/> names the query (one is made when null).
    /// </summary>
    public Task<SqlResult> QueryPagesAsync(string query, int? pageRows = null, string? id = null, CancellationToken ct = default) =>
        _api.SendAsync<SqlResult>(HttpMethod.Post, "v1/sql", RequestBody.Json(new SqlQueryBody(query, pageRows, id, true)), ct);

    /// <summary>Rows <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="rows"/> of a query run with <see cref="QueryPagesAsync"/>; 404 when none are kept.</summary>
    public Task<SqlResult> ReadPageAsync(string id, long offset, int? rows = null, CancellationToken ct = default) =>
        _api.SendAsync<SqlResult>(HttpMethod.Get, $"v1/sql/{Uri.EscapeDataString(id)}/rows?offset={offset}" + (rows is { } n ? $"&limit={n}" : ""), RequestBody.None, ct);

    /// <summary>Every row of <paramref name="query"/>, page by page, as the server keeps them; the kept rows are deleted at the end.</summary>
    public async IAsyncEnumerable<JsonElement> ReadAllAsync(string query, int pageRows = 10_000, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var page = await QueryPagesAsync(query, pageRows, ct: ct);
        try
        {
            long offset = 0;
            while (true)
            {
                foreach (var row in page.Rows)
                {
                    yield return row;
                }

                offset += page.RowCount;
                if (page.RowCount == 0 || offset >= page.TotalRows)
                {
                    break;
                }

                page = await ReadPageAsync(page.Id!, offset, pageRows, ct);
            }
        }
        finally
        {
            await StopAsync(page.Id!, CancellationToken.None);
        }
    }

    /// <summary>Cancels the query running under <paramref name="id"/> (its caller gets a 409) and deletes the rows kept under it; false when there was neither.</summary>
    public async Task<bool> StopAsync(string id, CancellationToken ct = default)
    {
        try
        {
            await _api.SendAsync(HttpMethod.Delete, $"v1/sql/{Uri.EscapeDataString(id)}", RequestBody.None, ct);
            return true;
        }
        catch (OrleansMlApiException e) when (e.StatusCode == 404)
        {
            return false;
        }
    }

    private sealed record SqlQueryBody(string Query, int? MaxRows, string? Id = null, bool? Pages = null);
}
