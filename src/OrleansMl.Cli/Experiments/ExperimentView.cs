using System.Globalization;
using OrleansMl.Cli.Output;
using OrleansMl.Client;
using Spectre.Console;

namespace OrleansMl.Cli.Experiments;

/// <summary>How experiments and runs look in a table.</summary>
internal static class ExperimentView
{
    public static int Total(ExperimentInfo info) => info.RunCounts.Values.Sum();

    public static int Done(ExperimentInfo info) =>
        info.RunCounts.Where(c => c.Key is "succeeded" or "failed" or "cancelled").Sum(c => c.Value);

    public static string Best(ExperimentInfo info) =>
        info.Best is { } best && best.Metrics.TryGetValue(info.Metric, out var value)
            ? $"{Markup.Escape(info.Metric)} {Cells.Format(value)} (run {best.Index})"
            : "[grey]-[/]";

    public static string State(string state) => state switch
    {
        "succeeded" => "[green]succeeded[/]",
        "failed" => "[red]failed[/]",
        "cancelled" => "[yellow]cancelled[/]",
        "running" => "[blue]running[/]",
        _ => Markup.Escape(state),
    };

    /// <summary>One line per experiment fact: state, data, trainer, runs, best.</summary>
    public static Grid Summary(ExperimentInfo info)
    {
        var spec = info.Spec;
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("experiment", Markup.Escape(info.Name));
        grid.AddRow("state", State(info.State) + (info.StopReason is { } reason ? $" ({Markup.Escape(reason)})" : string.Empty));
        grid.AddRow("train", Markup.Escape(Dataset(spec.Train)) + (spec.Eval is { } eval ? ", eval " + Markup.Escape(Dataset(eval)) : string.Empty));
        grid.AddRow("task", $"{Markup.Escape(spec.Task)}: {Markup.Escape(spec.FeatureColumn)} → {Markup.Escape(spec.LabelColumn)}");
        grid.AddRow("trainer", Markup.Escape(spec.Trainer) + (spec.Params is { Count: > 0 } fixedParams ? " " + Cells.Pairs(fixedParams, v => v) : string.Empty));
        grid.AddRow("search", $"{Markup.Escape(spec.Strategy)}, at most {spec.MaxRuns} runs" + (spec.SearchSpace is { Count: > 0 } space ? ": " + Markup.Escape(string.Join(' ', space.Keys)) : string.Empty));
        grid.AddRow("runs", string.Join(", ", info.RunCounts.Where(c => c.Value > 0).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Value} {Markup.Escape(c.Key)}")));
        grid.AddRow("best", Best(info));
        return grid;
    }

    /// <summary>
    /// A table of runs: index, status, parameters, the ranking metric first, then as many other metrics
    /// as fit in <paramref name="width"/> columns, and the duration.
    /// </summary>
    public static Table Runs(IEnumerable<RunSummary> runs, string? metric, int width)
    {
        const int MetricWidth = 11;
        var list = runs.ToList();
        var metrics = list.SelectMany(r => r.Metrics.Keys).Distinct(StringComparer.Ordinal)
            .OrderBy(m => m == metric ? 0 : 1).ThenBy(m => m, StringComparer.Ordinal).ToList();
        var paramsWidth = list.Select(r => Cells.Pairs(r.Params, Value).Length).DefaultIfEmpty(6).Max();
        var fixedWidth = 6 + 12 + paramsWidth + 3 + MetricWidth; // run, status, params, seconds
        metrics = metrics.Take(Math.Max(1, (width - fixedWidth) / MetricWidth)).ToList();
        var table = new Table().AddColumns("run", "status", "params");
        table.Columns[1].NoWrap = true;
        foreach (var name in metrics)
        {
            table.AddColumn(new TableColumn(Markup.Escape(name)).RightAligned());
        }

        table.AddColumn(new TableColumn("seconds").RightAligned());
        foreach (var run in list)
        {
            var cells = new List<string>
            {
                run.Index.ToString(CultureInfo.InvariantCulture),
                State(run.Status) + (run.Error is { } error ? " " + Markup.Escape(error) : string.Empty),
                Cells.Pairs(run.Params, Value),
            };
            cells.AddRange(metrics.Select(m => run.Metrics.TryGetValue(m, out var value) ? Cells.Number(value) : Cells.Text(null)));
            cells.Add(Cells.Number(run.DurationSeconds));
            table.AddRow(cells.ToArray());
        }

        return table;
    }

    /// <summary>A parameter as sampled: numbers shortened (0.0010730612 → 0.0011), other values as they are.</summary>
    public static string Value(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? Cells.Format(number) : value;

    private static string Dataset(DatasetRef dataset) => dataset.Version is { } version ? $"{dataset.Name}:{version}" : dataset.Name;
}
