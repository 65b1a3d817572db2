using System.CommandLine;
using OrleansMl.Cli.Output;

namespace OrleansMl.Cli.Datasets;

/// <summary><c>dataset head NAME</c>: the first rows of a version.</summary>
public static class DatasetHeadCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = DatasetCommands.NameArgument();
        var version = DatasetCommands.VersionOption();
        var rows = new Option<int>("--rows", "-n") { Description = "How many rows (at most 10,000).", DefaultValueFactory = _ => 10 };
        var command = new Command("head", "The first rows of a dataset version.") { name, version, rows };
        context.SetAction(command, async run =>
        {
            var head = await run.Client.Datasets.HeadAsync(run.Get(name), run.Get(version)!, run.Get(rows), run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(head);
                return ExitCodes.Ok;
            }

            run.Write(RowsTable.Create([.. head.Columns.Select(c => c.Name)], head.Rows));
            run.WriteLine($"[grey]{head.Rows.Count} rows.[/]");
            return ExitCodes.Ok;
        });
        return command;
    }
}
