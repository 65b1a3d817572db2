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
    };

    internal static Argument<string> NameArgument() => new("name") { Description = "The experiment's name." };
}
