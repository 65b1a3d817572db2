using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OrleansMl.Silo.Hosting;

/// <summary>OpenTelemetry for Orleans and ASP.NET Core; exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.</summary>
public static class TelemetryExtensions
{
    public const string ServiceName = "orleansml";

    public static IHostApplicationBuilder AddOrleansMlTelemetry(this IHostApplicationBuilder builder, ProcessRole role)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName, serviceInstanceId: $"{Environment.MachineName}/{Environment.ProcessId}")
                .AddAttributes([new("orleansml.role", role.ToString().ToLowerInvariant())]))
            .WithMetrics(metrics => metrics
                .AddMeter("Microsoft.Orleans")
                .AddMeter(OrleansMl.Gateway.Serving.ServingMetrics.MeterName)
                .AddAspNetCoreInstrumentation())
            .WithTracing(tracing => tracing
                .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Microsoft.Orleans.Storage")
                .AddAspNetCoreInstrumentation(o => o.Filter = c => !c.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal)));
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }
}
