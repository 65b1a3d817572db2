using System.CommandLine;
using System.Globalization;
using OrleansMl.Cli.Errors;
using OrleansMl.Cli.Output;
using OrleansMl.Client;
using Spectre.Console;

namespace OrleansMl.Cli.Endpoints;

/// <summary>
/// <c>endpoint create|update NAME --target …</c>: the routes (with weights, for a canary), a shadow and
/// the log sample rate. <c>create</c> refuses an endpoint that exists; <c>update</c> one that does not.
/// </summary>
public static class EndpointSetCommand
{
    public static Command Create(CliContext context, string verb)
    {
        ArgumentNullException.ThrowIfNull(context);
        var creates = verb == "create";
        var name = EndpointCommands.NameArgument();
        var targets = new Option<EndpointTarget[]>("--target")
        {
            Description = $"A version that answers: {TargetParser.Syntax} (repeat for a canary; weights are relative, default 100).",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
            CustomParser = TargetParser.ParseAll,
        };
        var shadow = new Option<EndpointTarget?>("--shadow")
        {
            Description = "A version that also scores every request; logged, never returned: MODEL:VERSION or MODEL@ALIAS.",
            CustomParser = TargetParser.ParseOne,
        };
        var logSampleRate = new Option<double?>("--log-sample-rate") { Description = "The share of requests (0 to 1) logged with their answers (default 0)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the revision this would make (aliases resolved, checked as the change would be) without making it." };
        var command = new Command(verb, creates ? "Create an endpoint serving model versions." : "Change an endpoint's routes, shadow or logging in one step.")
        {
            name, targets, shadow, logSampleRate, dryRun,
        };

        context.SetAction(command, async run =>
        {
            var endpoint = run.Get(name);
            var exists = await ExistsAsync(run, endpoint);
            if (creates && exists)
            {
                throw new CommandFailedException($"Endpoint {endpoint} already exists.", $"Change it with `orleansml endpoint update {endpoint} --target …`.", ExitCodes.Rejected);
            }

            if (!creates && !exists)
            {
                throw new CommandFailedException($"There is no endpoint '{endpoint}'.", $"Create it with `orleansml endpoint create {endpoint} --target …`.", ExitCodes.NotFound);
            }

            var spec = new EndpointSpec(run.Get(targets)!, run.Get(shadow), run.Get(logSampleRate) ?? 0);
            var preview = run.Get(dryRun);
            var info = preview
                ? await run.Client.Endpoints.PreviewAsync(endpoint, spec, run.CancellationToken)
                : await run.Client.Endpoints.SetAsync(endpoint, spec, run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(info);
                return ExitCodes.Ok;
            }

            run.Write(Routes(info));
            if (preview)
            {
                run.WriteLine($"[grey]A dry run: revision {info.Revision} was not made. Run the same without --dry-run to make it.[/]");
                return ExitCodes.Ok;
            }

            run.WriteLine($"[grey]Next: orleansml endpoint predict {Markup.Escape(endpoint)} {Markup.Escape(RowsHint(info))}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<bool> ExistsAsync(CliInvocation run, string endpoint)
    {
        try
        {
            await run.Client.Endpoints.GetAsync(endpoint, run.CancellationToken);
            return true;
        }
        catch (OrleansMlApiException e) when (e.StatusCode == 404)
        {
            return false;
        }
    }

    /// <summary>How to pass a row to this endpoint: inline for a few features, from a file for many.</summary>
    private static string RowsHint(EndpointInfo info)
    {
        var width = info.Inputs.Count > 0 ? Math.Max(1, info.Inputs[0].VectorLength) : 1;
        var input = info.Inputs.Count > 0 ? info.Inputs[0].Name : "features";
        return width <= 8 ? "--row " + string.Join(',', Enumerable.Repeat("0", width)) : $$"""--json @rows.json  (rows.json: {"records":[{"{{input}}":[{{width}} numbers]}]})""";
    }

    private static Table Routes(EndpointInfo info)
    {
        var table = new Table().AddColumns("model", "version", "flavor", "weight", "share").Title($"{Markup.Escape(info.Name)} revision {info.Revision}");
        var total = info.Routes.Sum(r => (double)r.Weight);
        foreach (var route in info.Routes)
        {
            table.AddRow(
                Cells.Text(route.Model),
                route.Version.ToString(CultureInfo.InvariantCulture),
                Cells.Text(route.Flavor),
                route.Weight.ToString(CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{route.Weight / total:P1}"));
        }

        if (info.Shadow is { } shadow)
        {
            table.AddRow(Cells.Text(shadow.Model), shadow.Version.ToString(CultureInfo.InvariantCulture), Cells.Text(shadow.Flavor), "[grey]shadow[/]", "[grey]0 %[/]");
        }

        return table;
    }
}
