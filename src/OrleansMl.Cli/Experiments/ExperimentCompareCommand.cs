using System.CommandLine;
using System.Globalization;
using OrleansMl.Cli.Output;
using OrleansMl.Client;
using Spectre.Console;

namespace OrleansMl.Cli.Experiments;

/// <summary><c>experiment compare NAME [--runs 0,2]</c>: runs side by side, one column each.</summary>
public static class ExperimentCompareCommand
{
    private const int DefaultRuns = 5;

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = ExperimentCommands.NameArgument();
        var runs = new Option<int[]>("--runs")
        {
            Description = $"The run indices, e.g. 0,2 (default: the {DefaultRuns} best runs).",
            CustomParser = result =>
            {
                var indices = new List<int>();
                foreach (var part in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
                {
                    if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                    {
                        indices.Add(index);
                    }
                    else
                    {
                        result.AddError($"--runs: '{part}' is not a run index (a whole number).");
                    }
                }

                return [.. indices];
            },
        };
        var command = new Command("compare", "Compare runs side by side: parameters, metrics, duration, silos.") { name, runs };
        context.SetAction(command, async run =>
        {
            var experiment = run.Get(name);
            IEnumerable<int> indices = run.Get(runs) is { Length: > 0 } chosen
                ? chosen
                : (await run.Client.Experiments.ListRunsAsync(experiment, take: DefaultRuns, ct: run.CancellationToken)).Select(r => r.Index).ToList();
            var compared = await run.Client.Experiments.CompareAsync(experiment, indices, run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(compared);
                return ExitCodes.Ok;
            }

            run.Write(Table(compared));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Table Table(IReadOnlyList<RunInfo> runs)
    {
        var table = new Table().AddColumn(string.Empty);
        foreach (var run in runs)
        {
            table.AddColumn(new TableColumn($"run {run.Summary.Index}").RightAligned());
        }

        void Row(string label, Func<RunInfo, string> cell) => table.AddRow([Markup.Escape(label), .. runs.Select(cell)]);
        Row("status", r => ExperimentView.State(r.Summary.Status));
        foreach (var param in runs.SelectMany(r => r.Summary.Params.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            Row(param, r => Cells.Text(r.Summary.Params.TryGetValue(param, out var value) ? ExperimentView.Value(value) : null));
        }

        foreach (var metric in runs.SelectMany(r => r.Summary.Metrics.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            Row(metric, r => r.Summary.Metrics.TryGetValue(metric, out var value) ? Cells.Number(value) : Cells.Text(null));
        }

        Row("seconds", r => Cells.Number(r.Summary.DurationSeconds));
        Row("attempts", r => r.Attempts.ToString(CultureInfo.InvariantCulture));
        Row("silos", r => Markup.Escape(string.Join(' ', r.Silos)));
        Row("error", r => Cells.Text(r.Summary.Error));
        return table;
    }
}
