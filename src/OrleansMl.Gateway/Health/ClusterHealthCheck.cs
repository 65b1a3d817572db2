using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansMl.Diagnostics;

namespace OrleansMl.Gateway.Health;

/// <summary>Ready when a grain call reaches a silo and comes back.</summary>
public sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var reply = await grains.GetGrain<IPingGrain>(0).PingAsync(1).AsTask().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy($"Silo {reply.Silo} answered.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("No silo answered a grain call.", e);
        }
    }
}
