using OrleansMl.Gateway;
using Microsoft.AspNetCore.Routing;
using OrleansMl.Gateway.Apis;
using OrleansMl.Gateway.Audit;
using OrleansMl.Gateway.Ui;

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
}
