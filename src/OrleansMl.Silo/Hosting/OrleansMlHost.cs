using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using OrleansMl.Gateway;
using OrleansMl.Gateway.Security;
using OrleansMl.Hosting.Options;

namespace OrleansMl.Silo.Hosting;

/// <summary>Builds and runs one OrleansMl process in the role its configuration names.</summary>
public static partial class OrleansMlHost
{
    private static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.Ordinal)
    {
        ["--role"] = "OrleansMl:Role",
        ["--data-dir"] = "OrleansMl:DataDirectory",
    };

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["hash-key", var key])
        {
            Console.WriteLine(ApiKeyHash.Of(key));
            return 0;
        }

        WebApplication app;
        try
        {
            app = Build(args);
            await app.StartAsync();
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync("OrleansMl cannot start: the configuration is invalid.");
            foreach (var failure in e.Failures)
            {
                await Console.Error.WriteLineAsync("  " + failure);
            }

            return 2;
        }

        await app.WaitForShutdownAsync();
        await app.DisposeAsync();
        return 0;
    }

    /// <summary>The configured process, not yet started. <paramref name="configure"/> runs after the configuration sources are added.</summary>
    /// <exception cref="OptionsValidationException">A setting is invalid; the message names it.</exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Settings ship next to the binary; relative data paths resolve against the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddCommandLine(args, SwitchMappings);
        configure?.Invoke(builder);
        HostDefaults.Apply(builder);

        var role = RoleOf(builder.Configuration);
        var options = OrleansMlOptions.FromConfiguration(builder.Configuration);
        if (role == ProcessRole.Gateway)
        {
            builder.UseOrleansClient(client =>
            {
                client.AddOrleansMl(builder.Configuration);
                if (TelemetryExtensions.IsEnabled(builder.Configuration))
                {
                    client.AddActivityPropagation(); // a trace follows a request into the grains
                }
            });
        }
        else
        {
            builder.UseOrleans(silo =>
            {
                silo.AddOrleansMl(options);
                if (TelemetryExtensions.IsEnabled(builder.Configuration))
                {
                    silo.AddActivityPropagation();
                }

                if (role == ProcessRole.Embedded && options.Dashboard)
                {
                    silo.AddDashboard();
                }
            });
        }

        builder.AddOrleansMlTelemetry(role);
        if (role == ProcessRole.Silo)
        {
            builder.AddOrleansMlHealthChecks();
        }
        else
        {
            builder.AddOrleansMlGateway();
        }

        var app = builder.Build();
        if (role == ProcessRole.Silo)
        {
            app.MapOrleansMlHealth();
        }
        else
        {
            app.UseOrleansMlGateway();
        }

        app.MapOrleansMlMetrics(role);

        if (role == ProcessRole.Embedded && options.Dashboard)
        {
            app.MapOrleansDashboard("/dashboard").RequireAuthorization(GatewayPolicies.Admin);
        }

        return app;
    }

    private static ProcessRole RoleOf(IConfiguration configuration)
    {
        var value = configuration["OrleansMl:Role"];
        if (string.IsNullOrEmpty(value))
        {
            return ProcessRole.Embedded;
        }

        return Enum.TryParse<ProcessRole>(value, ignoreCase: true, out var role) && Enum.IsDefined(role)
            ? role
            : throw new OptionsValidationException("OrleansMl:Role", typeof(ProcessRole), [$"OrleansMl:Role (--role) must be Embedded, Silo or Gateway (was '{value}')."]);
    }
}
