using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Gateway.Health;

/// <summary>Ready when the artifact store answers a metadata lookup.</summary>
public sealed class ArtifactStoreHealthCheck(IArtifactStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.GetInfoAsync("_health/probe", cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The artifact store did not answer.", e);
        }
    }
}
