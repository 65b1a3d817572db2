using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace OrleansMl.Testing;

/// <summary>For tests that kill a silo: one missed 1-second probe and one vote declare it dead (the defaults take 6-14 s).</summary>
public static class QuickDeathDetection
{
    public static IServiceCollection DeclareDeadSilosQuickly(this IServiceCollection services) =>
        services.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(1);
            o.MaxProbeTimeout = TimeSpan.FromSeconds(1);
            o.NumMissedProbesLimit = 1;
            o.NumVotesForDeathDeclaration = 1;
        });
}
