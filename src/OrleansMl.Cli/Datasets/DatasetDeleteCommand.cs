using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace OrleansMl.Cli.Datasets;

/// <summary><c>dataset delete NAME [--version N]</c>: one version, or the whole dataset, with its files (admin).</summary>
public static class DatasetDeleteCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = DatasetCommands.NameArgument();
        var version = new Option<int?>("--version") { Description = "Delete only this version; without it, every version." };
        var command = new Command("delete", "Delete a dataset version, or the whole dataset, and its files. Refused while an operation, a running experiment or a k-NN model uses it.") { name, version };
        context.SetAction(command, async run =>
        {
            var dataset = run.Get(name);
            var number = run.Get(version);
            if (number is { } only)
            {
                await run.Client.Datasets.DeleteVersionAsync(dataset, only, run.CancellationToken);
            }
            else
            {
                await run.Client.Datasets.DeleteAsync(dataset, run.CancellationToken);
            }

            if (run.Json)
            {
                run.WriteJson(new { deleted = dataset, version = number });
                return ExitCodes.Ok;
            }

            run.WriteLine(number is { } v
                ? $"Deleted version {v.ToString(CultureInfo.InvariantCulture)} of dataset {Markup.Escape(dataset)}."
                : $"Deleted dataset {Markup.Escape(dataset)}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
