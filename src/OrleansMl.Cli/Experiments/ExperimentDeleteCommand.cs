using System.CommandLine;
using Spectre.Console;

namespace OrleansMl.Cli.Experiments;

/// <summary><c>experiment delete NAME</c>: a finished experiment with its runs and their files (admin).</summary>
public static class ExperimentDeleteCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = ExperimentCommands.NameArgument();
        var command = new Command("delete", "Delete a finished experiment with its runs, their artifacts and metric histories. Registered model versions stay.") { name };
        context.SetAction(command, async run =>
        {
            var experiment = run.Get(name);
            await run.Client.Experiments.DeleteAsync(experiment, run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(new { deleted = experiment });
                return ExitCodes.Ok;
            }

            run.WriteLine($"Deleted experiment {Markup.Escape(experiment)}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
