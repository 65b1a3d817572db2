using System.CommandLine;
using OrleansMl.Cli.Output;
using Spectre.Console;

namespace OrleansMl.Cli.Runs;

/// <summary><c>orleansml run …</c>: one run of an experiment — show it, its metric history, cancel it.</summary>
public static class RunCommands
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Command("run", "One run of an experiment: its parameters, metrics and artifacts, its metric history, cancel or delete it.")
        {
            Show(context),
            Metrics(context),
            Cancel(context),
            Delete(context),
        };
    }

    private static Command Show(CliContext context)
    {
        var (experiment, index) = Arguments();
        var command = new Command("show", "A run's state, parameters, final metrics, silos and artifacts.") { experiment, index };
        context.SetAction(command, async run =>
        {
            var info = await run.Client.Runs.GetAsync(run.Get(experiment), run.Get(index), run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(info);
                return ExitCodes.Ok;
            }

            var summary = info.Summary;
            var table = new Table().AddColumns("", "").HideHeaders();
            table.AddRow("run", $"{Markup.Escape(info.Experiment)} / {summary.Index}");
            table.AddRow("status", Markup.Escape(summary.Status) + (summary.Error is { } error ? $" [red]{Markup.Escape(error)}[/]" : ""));
            table.AddRow("trainer", Markup.Escape(info.Trainer));
            table.AddRow("params", Cells.Pairs(summary.Params, v => v));
            table.AddRow("metrics", Cells.Pairs(summary.Metrics, Cells.Format));
            table.AddRow("duration", summary.DurationSeconds is { } seconds ? $"{Cells.Format(seconds)} s" : Cells.Text(null));
            table.AddRow("started", Cells.Time(info.StartedAt));
            table.AddRow("attempts", info.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
            table.AddRow("silos", Cells.Text(string.Join(", ", info.Silos)));
            foreach (var (name, path) in info.Artifacts.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                table.AddRow($"artifact {Markup.Escape(name)}", Markup.Escape(path));
            }

            run.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Metrics(CliContext context)
    {
        var (experiment, index) = Arguments();
        var only = new Option<string>("--metric") { Description = "Only this metric." };
        var command = new Command("metrics", "A run's metric history: one row per logged step (losses per iteration or epoch, final metrics).") { experiment, index, only };
        context.SetAction(command, async run =>
        {
            var steps = await run.Client.Runs.GetMetricsAsync(run.Get(experiment), run.Get(index), run.CancellationToken);
            if (run.Get(only) is { } metric)
            {
                steps = [.. steps.Where(s => s.Values.ContainsKey(metric)).Select(s => s with { Values = new Dictionary<string, double> { [metric] = s.Values[metric] } })];
            }

            if (run.Json)
            {
                run.WriteJson(steps);
                return ExitCodes.Ok;
            }

            var names = steps.SelectMany(s => s.Values.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var table = new Table().AddColumn("step");
            foreach (var name in names)
            {
                table.AddColumn(new TableColumn(Markup.Escape(name)).RightAligned());
            }

            foreach (var step in steps)
            {
                table.AddRow([step.Step.ToString(System.Globalization.CultureInfo.InvariantCulture), .. names.Select(n => step.Values.TryGetValue(n, out var v) ? Cells.Number(v) : Cells.Text(null))]);
            }

            run.Write(table);
            run.WriteLine($"{steps.Count:N0} steps.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Cancel(CliContext context)
    {
        var (experiment, index) = Arguments();
        var command = new Command("cancel", "Cancel a running run (scientists); the experiment's other runs go on.") { experiment, index };
        context.SetAction(command, async run =>
        {
            await run.Client.Runs.CancelAsync(run.Get(experiment), run.Get(index), run.CancellationToken);
            var info = await run.Client.Runs.GetAsync(run.Get(experiment), run.Get(index), run.CancellationToken);
            return run.Done(info.Summary, $"Run {info.Summary.Index} of {Markup.Escape(info.Experiment)}: {Markup.Escape(info.Summary.Status)}.");
        });
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var (experiment, index) = Arguments();
        var command = new Command("delete", "Delete a finished run with its artifacts and metric history (admins); refused while a model version is served from its files.") { experiment, index };
        context.SetAction(command, async run =>
        {
            await run.Client.Runs.DeleteAsync(run.Get(experiment), run.Get(index), run.CancellationToken);
            return run.Done(new { experiment = run.Get(experiment), deleted = run.Get(index) }, $"Deleted run {run.Get(index)} of {Markup.Escape(run.Get(experiment))}.");
        });
        return command;
    }

    private static (Argument<string> Experiment, Argument<int> Index) Arguments() =>
        (new Argument<string>("experiment") { Description = "The experiment's name." }, new Argument<int>("index") { Description = "The run's number in the experiment (from 0)." });
}
