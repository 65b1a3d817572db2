using System.CommandLine;
using System.Globalization;
using OrleansMl.Cli.Output;
using Spectre.Console;

namespace OrleansMl.Cli.Models;

/// <summary><c>model list</c>: every model with its versions and aliases.</summary>
public static class ModelListCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = new Command("list", "List the registered models with their versions and aliases.");
        context.SetAction(command, async run =>
        {
            var names = await run.Client.Models.ListAsync(run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(names);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("name", "versions", "latest", "flavor", "aliases");
            foreach (var name in names)
            {
                var model = await run.Client.Models.GetAsync(name, run.CancellationToken);
                var latest = model.Versions.MaxBy(v => v.Version);
                table.AddRow(
                    Cells.Text(name),
                    model.Versions.Count.ToString(CultureInfo.InvariantCulture),
                    latest is null ? Cells.Text(null) : latest.Version.ToString(CultureInfo.InvariantCulture),
                    Cells.Text(latest?.Flavor),
                    ModelView.Aliases(model));
            }

            run.Write(table);
            if (names.Count == 0)
            {
                run.WriteLine("[grey]No models yet: orleansml model register NAME --experiment EXPERIMENT[/]");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
