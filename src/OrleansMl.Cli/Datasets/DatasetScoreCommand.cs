using System.CommandLine;
using OrleansMl.Client;
using Spectre.Console;

namespace OrleansMl.Cli.Datasets;

/// <summary><c>dataset score NAME --model M [--model-version N | --alias A] | --endpoint E [--keep a,b] [--into D]</c>: batch predictions as a new version.</summary>
public static class DatasetScoreCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = DatasetCommands.NameArgument();
        var version = DatasetCommands.VersionOption();
        var model = new Option<string>("--model") { Description = "The model to score with (its latest version unless --model-version or --alias)." };
        var modelVersion = new Option<int?>("--model-version") { Description = "The model version." };
        var alias = new Option<string>("--alias") { Description = "A model alias (production, staging, ...)." };
        var endpoint = new Option<string>("--endpoint") { Description = "Instead of --model: the version taking the largest share of this endpoint's traffic." };
        var keep = new Option<string>("--keep") { Description = "Input columns to keep, comma-separated (default: all)." };
        var into = new Option<string>("--into") { Description = "The dataset that receives the scored version (default: NAME-predictions)." };
        var command = new Command("score", "Score every row of a dataset version with a model, in the partition grains, into a new dataset version.")
        {
            name, version, model, modelVersion, alias, endpoint, keep, into,
        };
        context.SetAction(command, async run =>
        {
            var dataset = run.Get(name);
            var target = run.Get(into) ?? $"{dataset}-predictions";
            var request = new ScoreRequest(run.Get(model), run.Get(modelVersion), run.Get(alias), run.Get(endpoint),
                run.Get(keep)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), target);
            var operation = await run.Client.Datasets.ScoreAsync(dataset, request, run.Get(version)!, ct: run.CancellationToken);
            operation = await OperationProgress.WaitAsync(run, target, operation, $"scoring {dataset}");
            if (run.Json)
            {
                run.WriteJson(operation);
                return ExitCodes.Ok;
            }

            run.WriteLine($"[green]Scored[/] {Markup.Escape(dataset)} into {Markup.Escape(target)} version {operation.Version}.");
            run.WriteLine($"[grey]Next: orleansml dataset export {Markup.Escape(target)} {Markup.Escape(target)}.csv[/]");
            return ExitCodes.Ok;
        });
        return command;
    }
}
