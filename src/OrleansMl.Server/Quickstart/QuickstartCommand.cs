using System.CommandLine;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OrleansMl.Cli;
using Spectre.Console;

namespace OrleansMl.Server.Quickstart;

/// <summary>
/// <c>quickstart</c>: starts the embedded platform in this process and runs the whole loop on
/// Fashion-MNIST: import, an experiment for k-NN and one for a linear model, register the better
/// one, deploy it, predict one image, and print the curl request that does the same. Then it serves
/// until Ctrl+C (or stops, with <c>--no-serve</c>). Other arguments go to the platform's configuration,
/// e.g. <c>--OrleansMl:Dashboard=false</c>.
/// </summary>
public static class QuickstartCommand
{
    private const string Dataset = "fashion";
    private const string Endpoint = "fashion";

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var subset = new Option<bool>("--subset") { Description = "Use the 10,000 test images instead of the 60,000 training images: a run of seconds." };
        var noServe = new Option<bool>("--no-serve") { Description = "Stop the platform when the loop is done instead of serving until Ctrl+C." };
        var dataDirectory = new Option<string>("--data-dir") { Description = "Where the platform keeps its data (default ./.orleansml)." };
        var siloPort = new Option<int?>("--silo-port") { Description = "The Orleans silo port (default 11111)." };
        var gatewayPort = new Option<int?>("--gateway-port") { Description = "The Orleans client gateway port (default 30000)." };
        var images = new Option<string>("--images") { Description = "A Fashion-MNIST images IDX file (default: the Debian package's)." };
        var labels = new Option<string>("--labels") { Description = "The matching labels IDX file." };
        var command = new Command("quickstart", "Start the embedded platform and run the whole loop on Fashion-MNIST: import, train k-NN and a linear model, deploy the better, predict.")
        {
            subset, noServe, dataDirectory, siloPort, gatewayPort, images, labels,
        };
        command.TreatUnmatchedTokensAsErrors = false; // like `start`: the rest goes to the platform's configuration

        context.SetAction(command, async run =>
        {
            var quick = run.Get(subset);
            var (imagesPath, labelsPath) = (run.Get(images), run.Get(labels));
            if (imagesPath is null || labelsPath is null)
            {
                if (await FashionMnistFiles.EnsureInstalledAsync(quick, m => run.Error.MarkupLine(Markup.Escape(m)), run.CancellationToken) is { } problem)
                {
                    run.Error.MarkupLine("[red]error:[/] " + Markup.Escape(problem));
                    return ExitCodes.Unavailable;
                }

                (imagesPath, labelsPath) = FashionMnistFiles.Files(quick);
            }

            // The platform listens where --url points, so every command of this CLI reaches it afterwards.
            var url = run.Get(context.Options.Url)!;
            var data = Path.GetFullPath(run.Get(dataDirectory) ?? ".orleansml");
            await using var app = Start(run.ParseResult.UnmatchedTokens, url, data, run.Get(siloPort), run.Get(gatewayPort), Path.GetDirectoryName(Path.GetFullPath(imagesPath))!, Path.GetDirectoryName(Path.GetFullPath(labelsPath))!);
            await app.StartAsync(run.CancellationToken);
            run.Error.MarkupLine($"[green]OrleansMl is running[/] at {url} (data in {Markup.Escape(data)}; authentication off: local use only).");

            var summary = await new QuickstartLoop(run, url, quick).RunAsync(Dataset, Endpoint, imagesPath, labelsPath, data);
            if (run.Json)
            {
                run.WriteJson(summary);
            }

            if (!run.Get(noServe))
            {
                run.Error.MarkupLine("Serving until Ctrl+C.");
                await app.WaitForShutdownAsync(run.CancellationToken);
            }

            await app.StopAsync(CancellationToken.None);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static WebApplication Start(IEnumerable<string> args, Uri url, string data, int? siloPort, int? gatewayPort, params string[] importRoots) =>
        EmbeddedHost.Build(args, url.ToString(), data, siloPort, gatewayPort, importRoots, (_, settings) =>
        {
            settings["OrleansMl:Gateway:Authentication:Enabled"] = "false";
            settings["Logging:LogLevel:Default"] = "Warning";
            settings["Logging:LogLevel:Orleans"] = "Error"; // the story is printed; the silo's start-up notes are noise here
            settings["Logging:LogLevel:OrleansMl.Gateway.Security.AuthenticationWarning"] = "Error"; // said once, in the line below
        });
}
