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
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: true);
        var addresses = hosts.Select(h => h.SiloAddress).ToArray();
        var statistics = await management.GetRuntimeStatistics(addresses);
        var grainTypes = (await management.GetSimpleGrainStatistics(addresses))
            .GroupBy(g => g.SiloAddress)
            .ToDictionary(g => g.Key, g => g.GroupBy(s => ShortTypeName(s.GrainType)).ToDictionary(t => t.Key, t => t.Sum(s => s.ActivationCount), StringComparer.Ordinal));
        var silos = hosts
            .Select((h, i) => new SiloView(
                h.SiloAddress.ToString(), h.SiloName, h.HostName, h.Status.ToString(), h.StartTime,
                statistics[i].ActivationCount, statistics[i].EnvironmentStatistics.FilteredCpuUsagePercentage, statistics[i].EnvironmentStatistics.FilteredMemoryUsageBytes, statistics[i].IsOverloaded,
                grainTypes.GetValueOrDefault(h.SiloAddress) ?? []))
            .OrderBy(s => s.Address, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(new ClusterView(silos));
    }

    /// <summary>A grain class's name without its assembly, namespace and generic arity: <c>PartitionGrain</c>.</summary>
    private static string ShortTypeName(string type)
    {
        var comma = type.IndexOf(',', StringComparison.Ordinal);
        var full = comma < 0 ? type : type[..comma];
        var name = full[(full.LastIndexOf('.') + 1)..];
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : name[..tick];
    }

    public sealed record ClusterView(IReadOnlyList<SiloView> Silos);

    /// <param name="Activations">Grain activations on the silo.</param>
    /// <param name="CpuPercent">The silo's recent CPU use, when known.</param>
    /// <param name="MemoryBytes">The silo process's memory, when known (cached partitions are most of it).</param>
    /// <param name="Overloaded">The silo sheds load (its activations are rejected until it recovers).</param>
    /// <param name="GrainTypes">Activations per grain class, e.g. <c>PartitionGrain</c>: the partitions it holds.</param>
    public sealed record SiloView(
        string Address, string Name, string HostName, string Status, DateTime StartedAt,
        int Activations, float? CpuPercent, long? MemoryBytes, bool Overloaded, IReadOnlyDictionary<string, int> GrainTypes);
}
