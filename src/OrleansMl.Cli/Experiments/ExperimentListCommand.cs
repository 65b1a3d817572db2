using System.CommandLine;
using OrleansMl.Cli.Output;
using Spectre.Console;

namespace OrleansMl.Cli.Experiments;

/// <summary><c>experiment list</c>: every experiment with its state, runs and best metric.</summary>
public static class ExperimentListCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = new Command("list", "List the experiments with their state, runs and best metric.");
        context.SetAction(command, async run =>
        {
            var names = await run.Client.Experiments.ListAsync(run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(names);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("name", "state", "dataset", "trainer", "runs", "best", "created");
            foreach (var name in names)
            {
                var info = await run.Client.Experiments.GetAsync(name, ct: run.CancellationToken);
                table.AddRow(
                    Cells.Text(name),
                    ExperimentView.State(info.State),
                    Cells.Text(info.Spec.Train.Name),
                    Cells.Text(info.Spec.Trainer),
                    $"{ExperimentView.Done(info)}/{ExperimentView.Total(info)}",
                    ExperimentView.Best(info),
                    Cells.Time(info.CreatedAt));
            }

            run.Write(table);
            if (names.Count == 0)
            {
                run.WriteLine("[grey]No experiments yet: orleansml experiment run NAME --dataset DATASET --trainer knn --search k=1,3,5[/]");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
