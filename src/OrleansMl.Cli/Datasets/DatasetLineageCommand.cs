using System.CommandLine;
using OrleansMl.Cli.Output;
using Spectre.Console;

namespace OrleansMl.Cli.Datasets;

/// <summary><c>dataset lineage NAME</c>: what a version came from and what used it, one edge a row, from the oldest source on.</summary>
public static class DatasetLineageCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = DatasetCommands.NameArgument();
        var version = DatasetCommands.VersionOption();
        var depth = new Option<int>("--depth") { Description = "Steps to follow each way (1-10).", DefaultValueFactory = _ => 3 };
        var command = new Command("lineage", "What a dataset version came from (sources, parents, queries) and what used it (derived versions, experiments, model versions).")
        {
            name, version, depth,
        };
        context.SetAction(command, async run =>
        {
            var graph = await run.Client.Datasets.LineageAsync(run.Get(name), run.Get(version)!, run.Get(depth), run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(graph);
                return ExitCodes.Ok;
            }

            var nodes = graph.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
            string Shown(string id) => nodes[id] is var node && node.Kind == "source" ? $"{node.Name} ({node.Detail ?? "source"})"
                : node.Version is { } v ? $"{node.Kind} {node.Name} v{v}{(id == graph.Root ? " ◀" : "")}" : $"{node.Kind} {node.Name}";
            var table = new Table().AddColumns("from", "how", "to");
            foreach (var edge in graph.Edges.OrderBy(e => nodes[e.From].Level).ThenBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal))
            {
                table.AddRow(Cells.Text(Shown(edge.From)), Cells.Text(edge.Label), Cells.Text(Shown(edge.To)));
            }

            run.Write(table);
            if (graph.Truncated)
            {
                run.WriteLine($"[grey]Only the nearest {graph.Nodes.Count} nodes are shown.[/]");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
