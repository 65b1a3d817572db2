using Microsoft.AspNetCore.Routing;
using OrleansMl.Gateway;
using OrleansMl.Gateway.Apis;
using OrleansMl.Gateway.Audit;
using OrleansMl.Gateway.Security;
using OrleansMl.Gateway.Ui;
using Scalar.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the OrleansMl HTTP gateway.</summary>
public static class GatewayEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Adds the middleware (errors as ProblemDetails, authentication, authorization) and maps
    /// <c>/health/live</c>, <c>/health/ready</c>, <c>/openapi/v1.json</c> the <c>/v1</c> API groups, the Open Inference Protocol's <c>/v2</c> and the web UI at <c>/</c>.
    /// </summary>
    public static WebApplication UseOrleansMlGateway(this WebApplication app)
    {
        app.UseMiddleware<AuditMiddleware>(); // outermost: it sees the final status, after errors became ProblemDetails
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapOrleansMlHealth();
        app.MapOpenApi().AllowAnonymous();
        app.MapApiReference();
        app.MapClusterApi();
        app.MapWorkspacesApi();
        app.MapArtifactsApi();
        app.MapDatasetsApi();
        app.MapSqlApi();
        app.MapExperimentsApi();
        app.MapModelsApi();
        app.MapEndpointsApi();
        app.MapInferenceApi();
        app.MapAuditApi();
        app.MapBackupsApi();
        app.MapOrleansMlUi();
        return app;
    }

    /// <summary>The path of the interactive API reference (Scalar) for the OpenAPI document.</summary>
    public const string ApiReferencePath = "/api";

    /// <summary>
    /// The interactive API reference at <see cref="ApiReferencePath"/>: Scalar over <c>/openapi/v1.json</c>, its script
    /// served from the package (no CDN, no web fonts, no telemetry: it works air-gapped). Anonymous like the document;
    /// its "try it" sends the API key a person types into it as X-Api-Key, and the API decides as for any caller.
    /// </summary>
    private static void MapApiReference(this WebApplication app) =>
        app.MapScalarApiReference(ApiReferencePath, options =>
        {
            options.WithTitle("OrleansMl API");
            options.Telemetry = false;
            options.DefaultFonts = false;
            // Scalar's hosted features (AI chat, MCP, its developer toolbar with "deploy" and "generate SDK") call scalar.com.
            options.Agent = new ScalarAgentOptions { Disabled = true };
            options.Mcp = new ScalarMcpOptions { Disabled = true };
            options.ShowDeveloperTools = DeveloperToolsVisibility.Never;
            options.AddPreferredSecuritySchemes([ApiKeyAuthenticationHandler.SchemeName]);
            options.AddApiKeyAuthentication(ApiKeyAuthenticationHandler.SchemeName, _ => { });
        }).AllowAnonymous();
}
