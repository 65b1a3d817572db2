using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansMl.Data.Expressions;
using OrleansMl.Data.Sql;
using OrleansMl.Gateway.Security;
using OrleansMl.Sql;

namespace OrleansMl.Gateway.Apis;

/// <summary><c>/v1/sql</c>: a SELECT over a dataset, run in its partition grains (see docs/sql.md).</summary>
public static class SqlApi
{
    private static readonly JsonSerializerOptions JsonDefaults = new(JsonSerializerDefaults.Web);

    public static RouteGroupBuilder MapSqlApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/sql").WithTags("SQL");
        group.MapPost("/", QueryAsync).WithName("QuerySql").RequireAuthorization(GatewayPolicies.Reader)
            .WithDescription("Runs { query, maxRows?, id?, pages? } and answers { id, columns, rowCount, rows, truncated, dataset, version, partitions, reads }; rows past maxRows (default 10,000, at most 100,000) are cut and truncated is true. "
                + "With pages: true every row is kept (written where it is computed, never held whole) and the answer is its first page of maxRows rows, with totalRows; read the rest with GET /v1/sql/{id}/rows. "
                + "With ?into=name (or CREATE DATASET name AS SELECT ...) every row is written as a new version of that dataset instead (scientist role), and the answer names it with written = its rows. 400 naming where the query is wrong; 409 when it was cancelled.");
        group.MapGet("/{id}/rows", ReadPageAsync).WithName("ReadSqlRows").RequireAuthorization(GatewayPolicies.Reader)
            .WithDescription("Rows offset to offset + limit (default 0 and 10,000, limit at most 100,000) of a query run with pages: true, answered as the query was; 404 when none are kept under the id (never, deleted, or expired after OrleansMl:Retention:SqlResultHours).");
        group.MapDelete("/{id}", StopAsync).WithName("StopSql").RequireAuthorization(GatewayPolicies.Reader)
            .WithDescription("Cancels the query running under id (its caller gets a 409) and deletes the rows kept under it; 204, or 404 when there was neither.");
        return group;
    }

    private static async Task<IResult> QueryAsync(SqlBody body, string? into, IGrainFactory grains, IAuthorizationService authorization, HttpContext context)
    {
        var (writes, readsFiles) = Access(body.Query ?? "", into);
        if ((writes || readsFiles) && !(await authorization.AuthorizeAsync(context.User, GatewayPolicies.Scientist)).Succeeded)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.",
                detail: writes
                    ? $"Writing a query's rows to a dataset (into, CREATE DATASET) needs the {GatewayPolicies.Scientist} role; querying needs only {GatewayPolicies.Reader}."
                    : $"Reading files in place (read_parquet, read_csv, ...) needs the {GatewayPolicies.Scientist} role, as importing them does; querying datasets needs only {GatewayPolicies.Reader}.");
        }

        var result = await grains.GetGrain<ISqlGrain>(0).QueryAsync(new SqlRequest(body.Query ?? "", body.MaxRows, into, body.Id, body.Pages ?? false), context.RequestAborted);
        return Answer(result);
    }

    private static async Task<IResult> ReadPageAsync(string id, long? offset, int? limit, IGrainFactory grains, HttpContext context) =>
        Answer(await grains.GetGrain<ISqlGrain>(0).ReadPageAsync(id, offset ?? 0, limit ?? ISqlGrain.DefaultPageRows, context.RequestAborted));

    private static async Task<IResult> StopAsync(string id, IGrainFactory grains) =>
        await grains.GetGrain<ISqlGrain>(0).StopAsync(id) ? TypedResults.NoContent() : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: $"No query '{id}' is running and no rows are kept under it.");

    private static IResult Answer(SqlResult result)
    {
        var written = result.Written is { } rows ? $",\"written\":{rows}" : "";
        var total = result.TotalRows is { } all ? $",\"totalRows\":{all}" : "";
        return TypedResults.Text(
            $$"""{"id":{{JsonSerializer.Serialize(result.Id)}},"columns":{{JsonSerializer.Serialize(result.Columns, JsonDefaults)}},"rowCount":{{result.RowCount}},"rows":{{result.RowsJson}},"truncated":{{(result.Truncated ? "true" : "false")}},"dataset":{{JsonSerializer.Serialize(result.Dataset)}},"version":{{result.Version}},"partitions":{{result.Partitions}},"reads":{{JsonSerializer.Serialize(result.Reads)}}{{written}}{{total}}}""",
            "application/json");
    }

    /// <summary>Whether the query writes a dataset and whether it reads files; a query that does not parse does neither (the coordinator answers its 400).</summary>
    private static (bool Writes, bool ReadsFiles) Access(string text, string? into)
    {
        try
        {
            var statement = SqlQuery.Parse(text);
            return (into is not null || statement.Into is not null, SqlQuery.ReadsFiles(statement));
        }
        catch (ExpressionException)
        {
            return (into is not null, false);
        }
    }

    /// <summary>The body of <c>POST /v1/sql</c>.</summary>
    public sealed record SqlBody(string? Query, int? MaxRows, string? Id = null, bool? Pages = null);
}
