using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansMl.Client;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="OrleansMlClient"/> with an <see cref="IServiceCollection"/>.</summary>
public static class OrleansMlClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="OrleansMlClient"/> as a typed HTTP client: its <see cref="HttpClient"/> comes from
    /// <see cref="IHttpClientFactory"/> (pooled handlers, DNS changes honoured), its settings from
    /// <see cref="IOptions{OrleansMlClientOptions}"/>. The answer lets you add handlers, e.g. a proxy or more resilience.
    /// </summary>
    /// <example>
    /// <code>
    /// builder.Services.AddOrleansMlClient(o =>
    /// {
    ///     o.BaseAddress = new Uri("https://orleansml.example.com");
    ///     o.ApiKey = builder.Configuration["OrleansMl:ApiKey"];
    /// });
    /// // then take OrleansMlClient in a constructor
    /// </code>
    /// </example>
    public static IHttpClientBuilder AddOrleansMlClient(this IServiceCollection services, Action<OrleansMlClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<OrleansMlClientOptions>().Configure(configure);
        var builder = services.AddHttpClient(nameof(OrleansMlClient))
            // Each try has the client's own timeout (OrleansMlClientOptions.Timeout); the factory's 100 s would cut long waits short.
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan);
        builder.AddTypedClient((http, provider) => new OrleansMlClient(http, provider.GetRequiredService<IOptions<OrleansMlClientOptions>>().Value));
        return builder;
    }
}
