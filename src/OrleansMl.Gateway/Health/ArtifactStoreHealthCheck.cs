using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Gateway.Health;

/// <summary>Ready when the artifact store answers a metadata lookup (at most one lookup per <see cref="HealthProbeCache.Lifetime"/>).</summary>
public sealed class ArtifactStoreHealthCheck(IArtifactStore store, HealthProbeCache cache) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        cache.GetAsync("artifact-store", ProbeAsync).WaitAsync(cancellationToken);

    private async Task<HealthCheckResult> ProbeAsync()
    {
        try
        {
            await store.GetInfoAsync("_health/probe").WaitAsync(TimeSpan.FromSeconds(5));
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("The artifact store did not answer.", e);
        }
    }
}
