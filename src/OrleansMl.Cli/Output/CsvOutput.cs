using System.Text.Json;
using Spectre.Console;

namespace OrleansMl.Cli.Output;

/// <summary>Rows as RFC 4180 CSV with a header, written straight to a console's writer: nulls empty, vectors as JSON arrays.</summary>
public static class CsvOutput
{
    public static void Write(IAnsiConsole console, IReadOnlyList<string> columns, IEnumerable<JsonElement> rows)
    {
        ArgumentNullException.ThrowIfNull(console);
        var writer = console.Profile.Out.Writer;
        writer.Write(string.Join(',', columns.Select(Quote)) + "\r\n");
        WriteRows(console, columns, rows);
    }

    /// <summary>Rows without the header line (the pages after the first).</summary>
    public static void WriteRows(IAnsiConsole console, IReadOnlyList<string> columns, IEnumerable<JsonElement> rows)
    {
        ArgumentNullException.ThrowIfNull(console);
        var writer = console.Profile.Out.Writer;
        foreach (var row in rows)
        {
            writer.Write(string.Join(',', columns.Select(c => row.TryGetProperty(c, out var value) ? Field(value) : "")) + "\r\n");
        }

        writer.Flush();
    }

    private static string Field(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        JsonValueKind.String => Quote(value.GetString()!),
        JsonValueKind.Array or JsonValueKind.Object => Quote(value.GetRawText()),
        _ => value.GetRawText(),
    };

    private static string Quote(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
