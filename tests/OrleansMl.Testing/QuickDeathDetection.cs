using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace OrleansMl.Testing;

/// <summary>
/// For tests that kill a silo: two missed 1-second probes and one vote declare it dead (the defaults
/// take 6-14 s). One missed probe was too few: on a loaded 2-core machine a live silo can miss one.
/// </summary>
public static class QuickDeathDetection
{
    public static IServiceCollection DeclareDeadSilosQuickly(this IServiceCollection services) =>
        services.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(1);
            o.MaxProbeTimeout = TimeSpan.FromSeconds(1);
            o.NumMissedProbesLimit = 2;
            o.NumVotesForDeathDeclaration = 1;
        });
}
