using System.CommandLine;
using OrleansMl.Cli.Output;

namespace OrleansMl.Cli.Datasets;

/// <summary><c>dataset head NAME</c> and <c>dataset sample NAME</c>: the first rows of a version, or rows drawn at random (seeded).</summary>
public static class DatasetHeadCommand
{
    public static Command Create(CliContext context) => Create(context, sample: false);

    public static Command CreateSample(CliContext context) => Create(context, sample: true);

    private static Command Create(CliContext context, bool sample)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = DatasetCommands.NameArgument();
        var version = DatasetCommands.VersionOption();
        var rows = new Option<int>("--rows", "-n") { Description = "How many rows (at most 10,000).", DefaultValueFactory = _ => 10 };
        var seed = new Option<long>("--seed") { Description = "The sample's seed: the same seed draws the same rows.", DefaultValueFactory = _ => 42 };
        var command = sample
            ? new Command("sample", "Rows drawn at random from every partition of a dataset version (the same seed, the same rows).") { name, version, rows, seed }
            : new Command("head", "The first rows of a dataset version.") { name, version, rows };
        context.SetAction(command, async run =>
        {
            var shown = sample
                ? await run.Client.Datasets.SampleAsync(run.Get(name), run.Get(version)!, run.Get(rows), run.Get(seed), run.CancellationToken)
                : await run.Client.Datasets.HeadAsync(run.Get(name), run.Get(version)!, run.Get(rows), run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(shown);
                return ExitCodes.Ok;
            }

            run.Write(RowsTable.Create([.. shown.Columns.Select(c => c.Name)], shown.Rows));
            run.WriteLine($"[grey]{shown.Rows.Count} rows.[/]");
            return ExitCodes.Ok;
        });
        return command;
    }
}
