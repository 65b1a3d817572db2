using System.CommandLine;
using Spectre.Console;

namespace OrleansMl.Cli.Experiments;

/// <summary><c>experiment create NAME …</c>: starts an experiment and returns at once.</summary>
public static class ExperimentCreateCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = ExperimentCommands.NameArgument();
        var spec = new ExperimentSpecOptions();
        var command = new Command("create", "Start an experiment (the same spec again is a no-op) and return; `experiment watch` follows it.") { name };
        spec.AddTo(command);
        context.SetAction(command, async run =>
        {
            var experiment = run.Get(name);
            var info = await run.Client.Experiments.StartAsync(experiment, spec.Build(run), ct: run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(info);
                return ExitCodes.Ok;
            }

            run.Write(ExperimentView.Summary(info));
            run.WriteLine($"[grey]Next: orleansml experiment watch {Markup.Escape(experiment)}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }
}
