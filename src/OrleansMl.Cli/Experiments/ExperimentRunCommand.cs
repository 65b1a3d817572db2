using System.CommandLine;
using OrleansMl.Cli.Errors;
using OrleansMl.Client;
using Spectre.Console;

namespace OrleansMl.Cli.Experiments;

/// <summary><c>experiment run NAME …</c>: <c>create</c>, then a live progress bar of runs done and the best metric until it ends.</summary>
public static class ExperimentRunCommand
{
    private static readonly TimeSpan PollWait = TimeSpan.FromSeconds(1);

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = ExperimentCommands.NameArgument();
        var spec = new ExperimentSpecOptions();
        var command = new Command("run", "Start an experiment and wait for it, showing runs done and the best metric so far.") { name };
        spec.AddTo(command);
        context.SetAction(command, async run =>
        {
            var experiment = run.Get(name);
            var started = await run.Client.Experiments.StartAsync(experiment, spec.Build(run), ct: run.CancellationToken);
            var info = await WaitAsync(run, started);
            if (run.Json)
            {
                run.WriteJson(info);
            }
            else
            {
                var runs = await run.Client.Experiments.ListRunsAsync(experiment, ct: run.CancellationToken);
                run.Write(ExperimentView.Runs(runs, info.Metric, run.Output.Profile.Width));
                run.Write(ExperimentView.Summary(info));
            }

            return info.State == "succeeded"
                ? ExitCodes.Ok
                : throw new CommandFailedException(
                    $"Experiment {experiment} {info.State}" + (info.StopReason is { } reason ? $": {reason}" : "."),
                    $"`orleansml experiment compare {experiment}` shows each run's error.");
        });
        return command;
    }

    /// <summary>Waits for the experiment to end; with a table output, a progress bar follows runs done / total and the best metric.</summary>
    internal static async Task<ExperimentInfo> WaitAsync(CliInvocation run, ExperimentInfo started)
    {
        if (started.IsFinished)
        {
            return started;
        }

        if (!run.LiveProgress)
        {
            return await run.Client.Experiments.WaitAsync(started.Name, ct: run.CancellationToken);
        }

        return await run.Output.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape(started.Name), maxValue: 1);
                var current = started;
                Update(task, current);
                while (!current.IsFinished)
                {
                    // A short wait answers at once when the experiment ends, else with its run counts after a second.
                    current = await run.Client.Experiments.GetAsync(started.Name, PollWait, run.CancellationToken);
                    Update(task, current);
                }

                return current;
            });
    }

    private static void Update(ProgressTask task, ExperimentInfo info)
    {
        var total = ExperimentView.Total(info);
        var done = ExperimentView.Done(info);
        task.Description = $"{Markup.Escape(info.Name)}: {done}/{total} runs, best {ExperimentView.Best(info)}";
        task.IsIndeterminate = total == 0 && !info.IsFinished;
        task.MaxValue = Math.Max(1, total);
        task.Value = info.IsFinished ? task.MaxValue : done;
    }
}
