using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OrleansMl.Gateway.Security;

namespace OrleansMl.Silo.Hosting;

/// <summary>
/// OpenTelemetry for Orleans, ASP.NET Core, HttpClient, the .NET runtime, serving and the platform (datasets, training, partition cache): traces and metrics exported over OTLP
/// when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, metrics for a Prometheus scrape at <c>/metrics</c> (admins)
/// when <c>OrleansMl:Metrics:Prometheus</c> is true, and metrics to Application Insights when <c>OrleansMl:Metrics:AzureMonitor</c> holds a connection string. Without either nothing is collected: an activity per request
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

    /// <summary>
    /// The Application Insights connection string metrics are exported to (<c>OrleansMl:Metrics:AzureMonitor</c>), if any:
    /// on Container Apps the environment's OpenTelemetry agent carries traces and logs to Application Insights but no metrics.
    /// </summary>
    public static string? AzureMonitorConnectionString(IConfiguration configuration) =>
        configuration["OrleansMl:Metrics:AzureMonitor"] is { Length: > 0 } value ? value : null;

    /// <summary>Whether metrics are served for a Prometheus scrape.</summary>
    public static bool IsPrometheusEnabled(IConfiguration configuration) => configuration.GetValue<bool>("OrleansMl:Metrics:Prometheus");

    public static IHostApplicationBuilder AddOrleansMlTelemetry(this IHostApplicationBuilder builder, ProcessRole role)
    {
        var otlp = IsEnabled(builder.Configuration);
        var prometheus = IsPrometheusEnabled(builder.Configuration);
        var azureMonitor = AzureMonitorConnectionString(builder.Configuration);
        if (!otlp && !prometheus && azureMonitor is null)
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
                    .AddMeter(OrleansMl.Telemetry.PlatformMetrics.MeterName)
                    .AddMeter("System.Net.Http") // outgoing calls: storage, OTLP, Azure Monitor
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation();
                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }

                if (azureMonitor is not null)
                {
                    metrics.AddAzureMonitorMetricExporter(o => o.ConnectionString = azureMonitor);
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

    /// <summary>
    /// The Prometheus scrape endpoint, when it is enabled: for admins on a gateway (a scrape sends an admin key); on a
    /// silo's own HTTP port (health probes and this, no API) without a key, since that port belongs to the cluster's
    /// internal network — the training, import and partition cache meters are the silos'.
    /// </summary>
    public static WebApplication MapOrleansMlMetrics(this WebApplication app, ProcessRole role)
    {
        if (IsPrometheusEnabled(app.Configuration))
        {
            var endpoint = app.MapPrometheusScrapingEndpoint(ScrapePath);
            if (role != ProcessRole.Silo)
            {
                endpoint.RequireAuthorization(GatewayPolicies.Admin);
            }
        }

        return app;
    }
}
