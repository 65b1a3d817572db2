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
        var all = new Option<bool>("--all") { Description = "Every row, however many, read page by page as the server keeps them (with --output csv; Ctrl+C cancels the query)." };
        var command = new Command("sql", "Runs a SQL query over datasets in the partition grains.") { query, maxRows, into, all };
        context.SetAction(command, async run =>
        {
            if (run.Get(all))
            {
                if (run.Format != OutputFormat.Csv || run.Get(into) is not null)
                {
                    run.WriteLine("[red]--all writes every row as CSV: add --output csv (and no --into).[/]");
                    return ExitCodes.Usage;
                }

                var first = await run.Client.Sql.QueryPagesAsync(run.Get(query), run.Get(maxRows), ct: run.CancellationToken);
                var columns = first.Columns.Select(c => c.Name).ToList();
                CsvOutput.Write(run.Output, columns, first.Rows);
                try
                {
                    for (long offset = first.RowCount; offset < first.TotalRows; )
                    {
                        var page = await run.Client.Sql.ReadPageAsync(first.Id!, offset, run.Get(maxRows), run.CancellationToken);
                        CsvOutput.WriteRows(run.Output, columns, page.Rows);
                        offset += Math.Max(1, page.RowCount);
                    }
                }
                finally
                {
                    await run.Client.Sql.StopAsync(first.Id!, CancellationToken.None);
                }

                return ExitCodes.Ok;
            }

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
