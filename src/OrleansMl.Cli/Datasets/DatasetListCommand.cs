using System.CommandLine;
using OrleansMl.Cli.Output;
using Spectre.Console;

namespace OrleansMl.Cli.Datasets;

/// <summary><c>dataset list</c>: every dataset with its latest version.</summary>
public static class DatasetListCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = new Command("list", "List the datasets and their latest versions.");
        context.SetAction(command, async run =>
        {
            var names = await run.Client.Datasets.ListAsync(run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(names);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("name", "versions", "latest", "rows", "columns", "size", "created");
            foreach (var name in names)
            {
                var info = await run.Client.Datasets.GetAsync(name, run.CancellationToken);
                var latest = info.Versions.Count == 0 ? null : info.Versions.MaxBy(v => v.Version);
                table.AddRow(
                    Cells.Text(name),
                    info.Versions.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    latest is null ? Cells.Text(null) : latest.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Cells.Number(latest?.RowCount),
                    Cells.Number(latest?.Columns.Count),
                    Cells.Bytes(latest?.Bytes),
                    Cells.Time(latest?.CreatedAt));
            }

            run.Write(table);
            if (names.Count == 0)
            {
                run.WriteLine("[grey]No datasets yet: orleansml dataset import NAME --file data.csv[/]");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
