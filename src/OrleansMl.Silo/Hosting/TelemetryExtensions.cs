using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OrleansMl.Gateway.Security;

namespace OrleansMl.Silo.Hosting;

/// <summary>
/// OpenTelemetry for Orleans, ASP.NET Core, the .NET runtime and serving: traces and metrics exported over OTLP
/// when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and metrics for a Prometheus scrape at <c>/metrics</c> (admins)
/// when <c>OrleansMl:Metrics:Prometheus</c> is true. Without either nothing is collected: an activity per request
/// and per grain call that no one reads cost a quarter of the single-row serving throughput (measured with the
/// serving bench).
/// </summary>
public static class TelemetryExtensions
{
    public const string ServiceName = "orleansml";

    /// <summary>The path Prometheus scrapes.</summary>
    public const string ScrapePath = "/metrics";

    /// <summary>Whether traces and metrics are exported over OTLP: an OTLP endpoint is configured.</summary>
    public static bool IsEnabled(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    /// <summary>Whether metrics are served for a Prometheus scrape.</summary>
    public static bool IsPrometheusEnabled(IConfiguration configuration) => configuration.GetValue<bool>("OrleansMl:Metrics:Prometheus");

    public static IHostApplicationBuilder AddOrleansMlTelemetry(this IHostApplicationBuilder builder, ProcessRole role)
    {
        var otlp = IsEnabled(builder.Configuration);
        var prometheus = IsPrometheusEnabled(builder.Configuration);
        if (!otlp && !prometheus)
        {
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName, serviceInstanceId: $"{Environment.MachineName}/{Environment.ProcessId}")
                .AddAttributes([new("orleansml.role", role.ToString().ToLowerInvariant())]))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter("Microsoft.Orleans")
                    .AddMeter(OrleansMl.Gateway.Serving.ServingMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation();
                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        if (otlp)
        {
            telemetry
                .WithTracing(tracing => tracing
                    .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Microsoft.Orleans.Storage")
                    .AddAspNetCoreInstrumentation(o => o.Filter = c => !c.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal)))
                .UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>The Prometheus scrape endpoint, for admins (a scrape sends an admin key), when it is enabled.</summary>
    public static WebApplication MapOrleansMlMetrics(this WebApplication app)
    {
        if (IsPrometheusEnabled(app.Configuration))
        {
            app.MapPrometheusScrapingEndpoint(ScrapePath).RequireAuthorization(GatewayPolicies.Admin);
        }

        return app;
    }
}
