using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansMl.Diagnostics;

namespace OrleansMl.Gateway.Health;

/// <summary>Ready when a grain call reaches a silo and comes back (at most one call per <see cref="HealthProbeCache.Lifetime"/>).</summary>
public sealed class ClusterHealthCheck(IGrainFactory grains, HealthProbeCache cache) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        cache.GetAsync("cluster", ProbeAsync).WaitAsync(cancellationToken);

    private async Task<HealthCheckResult> ProbeAsync()
    {
        try
        {
            var reply = await grains.GetGrain<IPingGrain>(0).PingAsync(1).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            return HealthCheckResult.Healthy($"Silo {reply.Silo} answered.");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("No silo answered a grain call.", e);
        }
    }
}
