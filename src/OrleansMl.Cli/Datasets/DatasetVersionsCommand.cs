using System.CommandLine;
using System.Text.Json;
using OrleansMl.Cli.Output;
using Spectre.Console;

namespace OrleansMl.Cli.Datasets;

/// <summary><c>dataset versions NAME</c>: every version with its rows, partitions, size and where it came from.</summary>
public static class DatasetVersionsCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = DatasetCommands.NameArgument();
        var command = new Command("versions", "A dataset's versions: created, rows, partitions, size and lineage (source, parent, steps).") { name };
        context.SetAction(command, async run =>
        {
            var dataset = await run.Client.Datasets.GetAsync(run.Get(name), run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(dataset.Versions);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("version", "created", "rows", "partitions", "size", "made by", "from");
            foreach (var version in dataset.Versions)
            {
                var lineage = version.Lineage ?? default;
                var parent = Text(lineage, "parentDataset");
                var from = parent is not null ? $"{parent} v{(lineage.TryGetProperty("parentVersion", out var v) ? v.GetRawText() : "?")}" : Text(lineage, "source");
                var steps = lineage.ValueKind == JsonValueKind.Object && lineage.TryGetProperty("steps", out var list) && list.ValueKind == JsonValueKind.Array ? list.GetArrayLength() : 0;
                table.AddRow(
                    version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), Cells.Time(version.CreatedAt), Cells.Number(version.RowCount),
                    Cells.Number((long)version.PartitionRows.Count), Cells.Bytes(version.Bytes),
                    Cells.Text(Text(lineage, "operation") + (steps > 0 ? $" ({steps} steps)" : "")), Cells.Text(from));
            }

            run.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string? Text(JsonElement lineage, string property) =>
        lineage.ValueKind == JsonValueKind.Object && lineage.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
