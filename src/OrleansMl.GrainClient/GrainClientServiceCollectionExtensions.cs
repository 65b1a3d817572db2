using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansMl.GrainClient;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the endpoint routing of the gateway and the grain client: route cache, predictor with canary, shadow and sampled logging, and <see cref="OrleansMlGrainClient"/>.</summary>
public static class GrainClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="EndpointRoutes"/>, <see cref="EndpointPredictor"/>, <see cref="PredictionLog"/> (a hosted
    /// service writing to the registered artifact store) and <see cref="OrleansMlGrainClient"/>; idempotent.
    /// Needs an <see cref="IGrainFactory"/> (an Orleans client or a silo) and an artifact store.
    /// </summary>
    public static IServiceCollection AddOrleansMlGrainClient(this IServiceCollection services)
    {
        if (services.Any(s => s.ServiceType == typeof(EndpointPredictor)))
        {
            return services;
        }

        services.AddOptions<EndpointRoutingOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<EndpointRoutes>();
        services.AddSingleton<EndpointPredictor>();
        services.AddSingleton<PredictionLog>();
        services.AddHostedService(sp => sp.GetRequiredService<PredictionLog>());
        services.AddSingleton<OrleansMlGrainClient>();
        return services;
    }
}
