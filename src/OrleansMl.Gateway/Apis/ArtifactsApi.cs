using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using System.Security.Claims;
using OrleansMl.Gateway.Audit;
using OrleansMl.Gateway.Options;
using OrleansMl.Gateway.Security;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Gateway.Apis;

/// <summary>
/// <c>/v1/artifacts</c>: the artifact store over HTTP. Uploads and downloads stream; conditional
/// writes use <c>If-None-Match: *</c> and <c>If-Match</c> as in HTTP. The platform's own namespaces
/// (<see cref="PlatformNamespaces"/>) are read-only here: a dataset's parts, a run's or a registered
/// version's model and an endpoint's prediction log change only through their own routes, which check
/// roles and keep the state that points at them whole.
/// </summary>
public static class ArtifactsApi
{
    private const int MaxListLimit = 10_000;

    /// <summary>First path segments the platform writes, each with the routes that change it; compared ignoring case, as a case-insensitive file system would.</summary>
    public static IReadOnlyDictionary<string, string> PlatformNamespaces { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["datasets"] = "change it through /v1/datasets", ["runs"] = "change it through /v1/experiments", ["models"] = "change it through /v1/models",
        ["endpoints"] = "change it through /v1/endpoints", ["audit"] = "the audit log is append-only; admins read it at /v1/audit",
    };

    public static RouteGroupBuilder MapArtifactsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/artifacts").WithTags("Artifacts");
        group.MapGet("/", ListAsync).WithName("ListArtifacts").RequireAuthorization(GatewayPolicies.Reader);
        group.MapGet("/{**path}", DownloadAsync).WithName("DownloadArtifact").RequireAuthorization(GatewayPolicies.Reader);
        group.MapPut("/{**path}", UploadAsync).WithName("UploadArtifact").RequireAuthorization(GatewayPolicies.Scientist)
            .WithDescription("Streams the request body, of any content type, into the artifact. If-None-Match: * creates only; If-Match: <etag> replaces only that version.");
        group.MapDelete("/{**path}", DeleteAsync).WithName("DeleteArtifact").RequireAuthorization(GatewayPolicies.Admin);
        return group;
    }

    private static async Task<Results<Ok<List<ArtifactInfo>>, ValidationProblem>> ListAsync(IArtifactStore store, string? prefix, int? limit, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var take = limit ?? 1000;
        if (take is < 1 or > MaxListLimit)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"limit must be between 1 and {MaxListLimit}."] });
        }

        var found = new List<ArtifactInfo>();
        var admin = user.IsInRole(GatewayPolicies.Admin);
        await foreach (var info in store.ListAsync(ArtifactPath.ValidatePrefix(prefix ?? ""), cancellationToken))
        {
            if (!admin && IsAudit(info.Path))
            {
                continue;
            }

            found.Add(info);
            if (found.Count == take)
            {
                break;
            }
        }

        return TypedResults.Ok(found);
    }

    private static async Task<IResult> DownloadAsync(string path, IArtifactStore store, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (IsAudit(path) && !user.IsInRole(GatewayPolicies.Admin))
        {
            throw new UnauthorizedAccessException("The audit log is for admins; they read it at /v1/audit.");
        }

        var stream = await store.OpenReadAsync(ArtifactPath.Validate(path), cancellationToken);
        return TypedResults.Stream(stream, "application/octet-stream");
    }

    private static async Task<Created<ArtifactInfo>> UploadAsync(string path, HttpContext context, IArtifactStore store, IOptionsMonitor<GatewayOptions> options, CancellationToken cancellationToken)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.CurrentValue.MaxArtifactUploadBytes;
        }

        var condition = ConditionOf(context.Request.Headers);
        var info = await store.WriteAsync(Writable(path), context.Request.Body, condition, cancellationToken);
        context.Response.Headers.ETag = info.ETag;
        return TypedResults.Created($"/v1/artifacts/{info.Path}", info);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string path, IArtifactStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(Writable(path), cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem($"No artifact at '{path}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    /// <summary>Whether <paramref name="path"/> is in the audit log, which only admins read.</summary>
    private static bool IsAudit(string path) => path.StartsWith(AuditLog.Folder, StringComparison.OrdinalIgnoreCase);

    /// <summary><paramref name="path"/> when it is valid and outside the platform's namespaces.</summary>
    /// <exception cref="UnauthorizedAccessException">The path is in a platform namespace (the gateway answers 403).</exception>
    private static string Writable(string path)
    {
        ArtifactPath.Validate(path);
        var first = path[..(path.IndexOf('/') is var slash and >= 0 ? slash : path.Length)];
        return PlatformNamespaces.TryGetValue(first, out var routes)
            ? throw new UnauthorizedAccessException(
                $"'{first}/' belongs to the platform and is read-only through /v1/artifacts: {routes} (files for imports go under 'uploads/' or any other folder).")
            : path;
    }

    private static ArtifactWriteCondition ConditionOf(IHeaderDictionary headers)
    {
        if (headers.IfNoneMatch.ToString() == "*")
        {
            return ArtifactWriteCondition.NotExists;
        }

        return headers.IfMatch.ToString() is { Length: > 0 } etag ? ArtifactWriteCondition.IfMatch(etag) : ArtifactWriteCondition.None;
    }
}
