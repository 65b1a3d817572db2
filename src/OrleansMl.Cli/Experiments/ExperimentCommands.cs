using System.CommandLine;

namespace OrleansMl.Cli.Experiments;

/// <summary><c>orleansml experiment …</c>: create, run, watch, list, compare, delete.</summary>
public static class ExperimentCommands
{
    public static Command Create(CliContext context) => new("experiment", "Train models: start experiments, follow their runs, compare them.")
    {
        ExperimentCreateCommand.Create(context),
        ExperimentRunCommand.Create(context),
        ExperimentWatchCommand.Create(context),
        ExperimentListCommand.Create(context),
        ExperimentCompareCommand.Create(context),
        ExperimentDeleteCommand.Create(context),
        Cancel(context),
    };

    /// <summary><c>experiment cancel NAME</c>: no run starts any more and the running ones are cancelled (scientists).</summary>
    private static Command Cancel(CliContext context)
    {
        var name = NameArgument();
        var command = new Command("cancel", "Cancel an experiment: no more runs start and the running ones stop; finished runs stay.") { name };
        context.SetAction(command, async run =>
        {
            var info = await run.Client.Experiments.CancelAsync(run.Get(name), run.CancellationToken);
            return run.Done(info, $"Experiment {Spectre.Console.Markup.Escape(info.Name)}: {Spectre.Console.Markup.Escape(info.State)}.");
        });
        return command;
    }

    internal static Argument<string> NameArgument() => new("name") { Description = "The experiment's name." };
}
