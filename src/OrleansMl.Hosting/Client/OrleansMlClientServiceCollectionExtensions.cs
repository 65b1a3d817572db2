using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting;
using OrleansMl.GrainClient;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The grain client API for .NET services inside the cluster's network.</summary>
public static class OrleansMlClientServiceCollectionExtensions
{
    /// <summary>
    /// Connects an Orleans client to the OrleansMl cluster that <paramref name="configuration"/>'s
    /// <c>OrleansMl</c> section describes (localhost on <c>GatewayPort</c>, or the Azure Table membership)
    /// and registers <see cref="OrleansMlGrainClient"/> with the gateway's endpoint routing. The client connects when the host starts.
    /// </summary>
    public static IServiceCollection AddOrleansMlClient(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOrleansClient(client => client.AddOrleansMl(configuration));
        services.AddOrleansMlGrainClient();
        return services;
    }
}
