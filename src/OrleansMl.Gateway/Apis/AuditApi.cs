using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansMl.Gateway.Audit;
using OrleansMl.Gateway.Security;

namespace OrleansMl.Gateway.Apis;

/// <summary><c>GET /v1/audit</c>: the audit log (<see cref="AuditLog"/>), for admins, filtered and in time order.</summary>
public static class AuditApi
{
    private const int MaxLimit = 10_000;
    private static readonly TimeSpan MaxSpan = TimeSpan.FromDays(31);

    public static void MapAuditApi(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/v1/audit", ReadAsync).WithName("ReadAuditLog").WithTags("Audit").RequireAuthorization(GatewayPolicies.Admin)
            .WithDescription("Every change and refused call: { at, who, operation, method, path, status, traceId, client }. Query: from, to (ISO 8601; default the last 24 hours, at most 31 days), who, operation, status, limit (default 1,000, at most 10,000).");

    private static async Task<Results<Ok<List<AuditEntry>>, ValidationProblem>> ReadAsync(
        AuditLog log, DateTimeOffset? from, DateTimeOffset? to, string? who, string? operation, int? status, int? limit, CancellationToken cancellationToken)
    {
        var end = to ?? log.Now;
        var start = from ?? end.AddDays(-1);
        var take = limit ?? 1_000;
        if (start > end || end - start > MaxSpan)
        {
            return Invalid("from", $"from must be before to, and at most {MaxSpan.TotalDays} days before it.");
        }

        if (take is < 1 or > MaxLimit)
        {
            return Invalid("limit", $"limit must be between 1 and {MaxLimit}.");
        }

        var found = new List<AuditEntry>();
        await foreach (var entry in log.ReadAsync(start, end, e =>
            (who is null || e.Who == who) && (operation is null || e.Operation == operation) && (status is null || e.Status == status), cancellationToken))
        {
            found.Add(entry);
            if (found.Count == take)
            {
                break;
            }
        }

        return TypedResults.Ok(found);
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message);
}
