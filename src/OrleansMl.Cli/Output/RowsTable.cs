using System.Text.Json;
using Spectre.Console;

namespace OrleansMl.Cli.Output;

/// <summary>Rows (one JSON object each) as a table with a column per name.</summary>
public static class RowsTable
{
    public static Table Create(IReadOnlyList<string> columns, IEnumerable<JsonElement> rows)
    {
        var table = new Table().AddColumns(columns.Select(c => new TableColumn(Markup.Escape(c))).ToArray());
        foreach (var row in rows)
        {
            table.AddRow(columns.Select(c => row.TryGetProperty(c, out var value) ? Cells.Json(value) : Cells.Text(null)).ToArray());
        }

        return table;
    }
}
