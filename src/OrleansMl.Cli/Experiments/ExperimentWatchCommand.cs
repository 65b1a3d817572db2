using System.CommandLine;
using OrleansMl.Cli.Output;
using OrleansMl.Client;
using Spectre.Console;

namespace OrleansMl.Cli.Experiments;

/// <summary><c>experiment watch NAME</c>: a live table of the runs from the server-sent event stream, until the experiment ends.</summary>
public static class ExperimentWatchCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = ExperimentCommands.NameArgument();
        var command = new Command("watch", "Follow an experiment's runs live until it ends (with --output json: the runs at the end).") { name };
        context.SetAction(command, async run =>
        {
            var experiment = run.Get(name);
            var info = await run.Client.Experiments.GetAsync(experiment, ct: run.CancellationToken); // 404 before streaming
            var runs = new SortedDictionary<int, RunSummary>();
            if (run.Json)
            {
                await foreach (var summary in run.Client.Experiments.WatchAsync(experiment, run.CancellationToken))
                {
                    runs[summary.Index] = summary;
                }

                run.WriteJson(runs.Values);
                return ExitCodes.Ok;
            }

            if (run.Output.Profile.Capabilities.Interactive)
            {
                await run.Output.Live(ExperimentView.Runs(runs.Values, info.Metric, run.Output.Profile.Width)).AutoClear(false).StartAsync(async live =>
                {
                    await foreach (var summary in run.Client.Experiments.WatchAsync(experiment, run.CancellationToken))
                    {
                        runs[summary.Index] = summary;
                        live.UpdateTarget(ExperimentView.Runs(runs.Values, info.Metric, run.Output.Profile.Width));
                    }
                });
            }
            else
            {
                // Not a terminal (a log, a pipe): a line per change, then the table.
                await foreach (var summary in run.Client.Experiments.WatchAsync(experiment, run.CancellationToken))
                {
                    runs[summary.Index] = summary;
                    run.WriteLine($"run {summary.Index} {ExperimentView.State(summary.Status)} {Cells.Pairs(summary.Params, ExperimentView.Value)} {Cells.Pairs(summary.Metrics, Cells.Format)}");
                }

                run.Write(ExperimentView.Runs(runs.Values, info.Metric, run.Output.Profile.Width));
            }

            info = await run.Client.Experiments.GetAsync(experiment, ct: run.CancellationToken);
            run.Write(ExperimentView.Summary(info));
            return ExitCodes.Ok;
        });
        return command;
    }
}
