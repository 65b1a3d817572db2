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
        var command = new Command("describe", "Column statistics of a dataset version: type, count, nulls, distinct values, min, max, mean (times for timestamps), most frequent values.") { name, version, columns };
        context.SetAction(command, async run =>
        {
            var selected = run.Get(columns)?.SelectMany(c => c.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            var description = await run.Client.Datasets.DescribeAsync(run.Get(name), run.Get(version)!, selected is { Count: > 0 } ? selected : null, run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(description);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("column", "type", "count", "nulls", "distinct", "min", "max", "mean", "most frequent");
            foreach (var column in description.GetProperty("columns").EnumerateArray())
            {
                // A timestamp's min, max and mean as times (the API gives them as minTime, … beside the microseconds).
                table.AddRow(
                    Cell(column, "name"), Cell(column, "type"), Cell(column, "count"), Cell(column, "nullCount"), Cell(column, "distinctEstimate"),
                    TimeOr(column, "min"), TimeOr(column, "max"), TimeOr(column, "mean"), TopValues(column));
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

    private static string TimeOr(JsonElement column, string property) =>
        column.TryGetProperty(property + "Time", out var time) && time.ValueKind == JsonValueKind.String
            ? Cells.Text(time.GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture))
            : Cell(column, property);

    /// <summary>A text column's three most frequent values with their counts.</summary>
    private static string TopValues(JsonElement column) =>
        column.TryGetProperty("topValues", out var top) && top.ValueKind == JsonValueKind.Array && top.GetArrayLength() > 0
            ? Cells.Text(string.Join(", ", top.EnumerateArray().Take(3).Select(v => $"{v.GetProperty("value").GetString()} ({v.GetProperty("count").GetInt64():N0})")))
            : Cells.Text(null);
}
