using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Orleans.Runtime;
using OrleansMl.Gateway.Security;

namespace OrleansMl.Gateway.Apis;

/// <summary><c>/v1/cluster</c>: the silos that form the cluster.</summary>
public static class ClusterApi
{
    public static RouteGroupBuilder MapClusterApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/cluster").WithTags("Cluster").RequireAuthorization(GatewayPolicies.Reader);
        group.MapGet("/", GetClusterAsync).WithName("GetCluster").WithSummary("The active silos of the cluster.");
        return group;
    }

    private static async Task<Ok<ClusterView>> GetClusterAsync(IGrainFactory grains)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true);
        var silos = hosts
            .Select(h => new SiloView(h.SiloAddress.ToString(), h.SiloName, h.HostName, h.Status.ToString(), h.StartTime))
            .OrderBy(s => s.Address, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(new ClusterView(silos));
    }

    public sealed record ClusterView(IReadOnlyList<SiloView> Silos);

    public sealed record SiloView(string Address, string Name, string HostName, string Status, DateTime StartedAt);
}
