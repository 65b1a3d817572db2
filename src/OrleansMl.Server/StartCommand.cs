using System.CommandLine;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrleansMl.Cli;
using OrleansMl.Gateway.Security;
using OrleansMl.Silo.Hosting;
using Spectre.Console;

namespace OrleansMl.Server;

/// <summary>
/// <c>orleansml-server start</c>: the embedded platform (one silo, the gateway and local storage) until Ctrl+C.
/// Other arguments go to the host's configuration, e.g. <c>--OrleansMl:Dashboard=false</c>.
/// </summary>
public static class StartCommand
{
    private const string ApiKeysSection = "OrleansMl:Gateway:Authentication:ApiKeys";

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var dataDirectory = new Option<string>("--data-dir") { Description = "Where datasets, models and state are kept (default ./.orleansml)." };
        var urls = new Option<string>("--urls") { Description = $"The addresses the HTTP API listens on, separated by ';' (default {GlobalOptions.DefaultUrl})." };
        var port = new Option<int?>("--port") { Description = "Listen on http://localhost:PORT (instead of --urls)." };
        var siloPort = new Option<int?>("--silo-port") { Description = "The Orleans silo-to-silo port (default 11111); change it to run two platforms on one machine." };
        var gatewayPort = new Option<int?>("--gateway-port") { Description = "The Orleans client gateway port (default 30000)." };
        var importRoots = new Option<string[]>("--import-root")
        {
            Description = "A folder `dataset import --path` may read (repeat for more); added to OrleansMl:Datasets:ImportRoots.",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("start", "Start the embedded platform (silo, HTTP API, local storage) and run until Ctrl+C.")
        {
            dataDirectory, urls, port, siloPort, gatewayPort, importRoots,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.Validators.Add(result =>
        {
            if (result.GetResult(urls) is not null && result.GetResult(port) is not null)
            {
                result.AddError("Give --urls or --port, not both.");
            }
        });

        context.SetAction(command, async run =>
        {
            var listen = run.Get(port) is { } p ? $"http://localhost:{p.ToString(CultureInfo.InvariantCulture)}" : run.Get(urls) ?? GlobalOptions.DefaultUrl;
            var apiKey = context.Options.ApiKeyOf(run.ParseResult);
            var authentication = "on";
            WebApplication app;
            try
            {
                app = EmbeddedHost.Build(run.ParseResult.UnmatchedTokens, listen, run.Get(dataDirectory), run.Get(siloPort), run.Get(gatewayPort), run.Get(importRoots) ?? [],
                    (configuration, settings) => authentication = Authentication(configuration, settings, apiKey));
                await app.StartAsync(run.CancellationToken);
            }
            catch (OptionsValidationException e)
            {
                run.Error.MarkupLine("[red]error:[/] OrleansMl cannot start: the configuration is invalid.");
                foreach (var failure in e.Failures)
                {
                    run.Error.MarkupLine("  " + Markup.Escape(failure));
                }

                return ExitCodes.Usage;
            }

            run.Output.MarkupLine($"[green]OrleansMl is running[/] at {Markup.Escape(listen)}; authentication {authentication}. Ctrl+C stops it.");
            await app.WaitForShutdownAsync(run.CancellationToken);
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// Keys from the configuration stay as they are. Without any, <c>--api-key</c> (or $ORLEANSML_API_KEY)
    /// becomes the one admin key; with no key at all, authentication is off (a local development platform).
    /// </summary>
    private static string Authentication(IConfiguration configuration, Dictionary<string, string?> settings, string? apiKey)
    {
        if (configuration.GetSection(ApiKeysSection).GetChildren().Any() || configuration["OrleansMl:Gateway:Authentication:Enabled"] == "false")
        {
            return "as configured";
        }

        if (apiKey is not null)
        {
            settings[$"{ApiKeysSection}:0:Name"] = "cli";
            settings[$"{ApiKeysSection}:0:Sha256"] = ApiKeyHash.Of(apiKey);
            settings[$"{ApiKeysSection}:0:Role"] = nameof(GatewayRole.Admin);
            return "on (the --api-key is the admin key)";
        }

        settings["OrleansMl:Gateway:Authentication:Enabled"] = "false";
        return "OFF (no keys configured; pass --api-key to require one)";
    }
}
