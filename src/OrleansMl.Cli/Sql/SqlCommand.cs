using System.CommandLine;
using OrleansMl.Cli.Output;
using Spectre.Console;

namespace OrleansMl.Cli.Sql;

/// <summary><c>orleansml sql "SELECT …"</c>: a query over datasets, as a table, JSON or CSV.</summary>
public static class SqlCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var query = new Argument<string>("query") { Description = "A SELECT over a dataset, e.g. \"SELECT label, count(*) FROM mnist GROUP BY label\". Names with '-' go in double quotes." };
        var maxRows = new Option<int?>("--max-rows") { Description = "The most rows to bring back (default 10,000, at most 100,000)." };
        var into = new Option<string?>("--into") { Description = "Write every row as a new version of this dataset instead of showing them (as CREATE DATASET name AS ...)." };
        var command = new Command("sql", "Runs a SQL query over datasets in the partition grains.") { query, maxRows, into };
        context.SetAction(command, async run =>
        {
            var result = run.Get(into) is { } dataset
                ? await run.Client.Sql.CreateDatasetAsync(dataset, run.Get(query), run.CancellationToken)
                : await run.Client.Sql.QueryAsync(run.Get(query), run.Get(maxRows), run.CancellationToken);
            if (result.Written is { } written && run.Format != OutputFormat.Json)
            {
                run.WriteLine($"Wrote {written:N0} rows to {Markup.Escape(result.Dataset)} v{result.Version} ({result.Partitions} partitions), read from {Markup.Escape(string.Join(", ", result.Reads ?? []))}.");
                return ExitCodes.Ok;
            }

            switch (run.Format)
            {
                case OutputFormat.Json:
                    run.WriteJson(result);
                    break;
                case OutputFormat.Csv:
                    CsvOutput.Write(run.Output, [.. result.Columns.Select(c => c.Name)], result.Rows);
                    break;
                default:
                    run.Write(RowsTable.Create([.. result.Columns.Select(c => c.Name)], result.Rows));
                    run.WriteLine($"[grey]{result.RowCount:N0} rows{(result.Truncated ? " (cut: more rows matched; raise --max-rows or add LIMIT)" : "")} from {Markup.Escape(result.Dataset)} v{result.Version} ({result.Partitions} partitions).[/]");
                    break;
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
