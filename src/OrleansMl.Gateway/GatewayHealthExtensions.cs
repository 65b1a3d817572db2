using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OrleansMl.Gateway.Health;

namespace OrleansMl.Gateway;

/// <summary>Liveness and readiness probes, shared by the gateway and by silo-only processes.</summary>
public static class GatewayHealthExtensions
{
    private const string ReadyTag = "ready";

    /// <summary>Readiness checks: a grain call reaches a silo; the artifact store answers.</summary>
    public static IHostApplicationBuilder AddOrleansMlHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<HealthProbeCache>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHealthChecks()
            .AddCheck<ClusterHealthCheck>("cluster", tags: [ReadyTag])
            .AddCheck<ArtifactStoreHealthCheck>("artifact-store", tags: [ReadyTag]);
        return builder;
    }

    /// <summary><c>/health/live</c> answers while the process runs; <c>/health/ready</c> runs the readiness checks.</summary>
    public static IEndpointRouteBuilder MapOrleansMlHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        routes.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) }).AllowAnonymous();
        return routes;
    }
}
