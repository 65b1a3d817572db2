using System.CommandLine;
using System.Text.Json;
using OrleansMl.Cli.Output;
using Spectre.Console;

namespace OrleansMl.Cli.Datasets;

/// <summary><c>dataset describe NAME</c>: per-column statistics of a version.</summary>
public static class DatasetDescribeCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = DatasetCommands.NameArgument();
        var version = DatasetCommands.VersionOption();
        var columns = new Option<string[]>("--columns") { Description = "Only these columns (repeat, or separate with commas).", AllowMultipleArgumentsPerToken = true };
        var command = new Command("describe", "Column statistics of a dataset version: type, count, nulls, min, max, mean.") { name, version, columns };
        context.SetAction(command, async run =>
        {
            var selected = run.Get(columns)?.SelectMany(c => c.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            var description = await run.Client.Datasets.DescribeAsync(run.Get(name), run.Get(version)!, selected is { Count: > 0 } ? selected : null, run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(description);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("column", "type", "count", "nulls", "min", "max", "mean");
            foreach (var column in description.GetProperty("columns").EnumerateArray())
            {
                table.AddRow(
                    Cell(column, "name"), Cell(column, "type"), Cell(column, "count"), Cell(column, "nullCount"),
                    Cell(column, "min"), Cell(column, "max"), Cell(column, "mean"));
            }

            run.Write(table);
            if (description.TryGetProperty("rowCount", out var rows))
            {
                run.WriteLine($"{Cells.Json(rows)} rows.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Cell(JsonElement column, string property) =>
        column.TryGetProperty(property, out var value) ? Cells.Json(value) : Cells.Text(null);
}
