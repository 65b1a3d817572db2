using System.CommandLine;
using OrleansMl.Client;
using Spectre.Console;

namespace OrleansMl.Cli.Datasets;

/// <summary><c>dataset split NAME --test-fraction F</c>: two new datasets, the same for the same seed.</summary>
public static class DatasetSplitCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = DatasetCommands.NameArgument();
        var testFraction = new Option<double>("--test-fraction") { Description = "The share of rows that go to the test dataset (0 to 1).", Required = true };
        var seed = new Option<long?>("--seed") { Description = "The split's seed (default 42): the same seed gives the same split." };
        var version = new Option<int?>("--version") { Description = "The version to split (default: the latest)." };
        var train = new Option<string>("--train-dataset") { Description = "The training dataset's name (default: NAME-train)." };
        var test = new Option<string>("--test-dataset") { Description = "The test dataset's name (default: NAME-test)." };
        var command = new Command("split", "Split a version into a training and a test dataset.") { name, testFraction, seed, version, train, test };
        context.SetAction(command, async run =>
        {
            var dataset = run.Get(name);
            var request = new SplitRequest(run.Get(testFraction), run.Get(seed), run.Get(version), run.Get(train), run.Get(test));
            var operation = await run.Client.Datasets.SplitAsync(dataset, request, ct: run.CancellationToken);
            operation = await OperationProgress.WaitAsync(run, dataset, operation, $"splitting {dataset}");
            if (run.Json)
            {
                run.WriteJson(operation);
                return ExitCodes.Ok;
            }

            var trainName = run.Get(train) ?? dataset + "-train";
            var testName = run.Get(test) ?? dataset + "-test";
            run.WriteLine($"[green]Split[/] {Markup.Escape(dataset)} into {Markup.Escape(trainName)} and {Markup.Escape(testName)}.");
            run.WriteLine($"[grey]Next: orleansml experiment run NAME --dataset {Markup.Escape(trainName)} --eval {Markup.Escape(testName)} …[/]");
            return ExitCodes.Ok;
        });
        return command;
    }
}
