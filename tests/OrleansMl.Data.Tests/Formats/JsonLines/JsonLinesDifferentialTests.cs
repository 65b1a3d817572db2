using System.Globalization;
using System.Text;
using System.Text.Json;
using OrleansMl.Data.Columns;
using static OrleansMl.Data.Tests.Formats.JsonLines.JsonLinesTestFiles;

namespace OrleansMl.Data.Tests.Formats.JsonLines;

/// <summary>
/// The JSON lines reader against an independent parser (System.Text.Json, one document per line) on
/// generated files: random line counts and value widths read in random chunk sizes, so lines straddle
/// every read; LF and CRLF; with and without a newline after the last line; blank lines; keys in any
/// order; whitespace between tokens; strings with escapes, non-ASCII and surrogate pairs; numbers in
/// exponent form; nulls.
/// </summary>
public sealed class JsonLinesDifferentialTests
{
    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(2, 7, false)]
    [InlineData(3, 64, false)]
    [InlineData(4, 1 << 12, false)]
    [InlineData(5, 1 << 20, false)]
    [InlineData(6, 1, true)]
    [InlineData(7, 5, true)]
    [InlineData(8, 300, true)]
    [InlineData(9, 1 << 20, true)]
    public void ValuesMatchAnIndependentParser(int seed, int chunkBytes, bool array)
    {
        var random = new Random(seed);
        for (var file = 0; file < 25; file++)
        {
            var newline = file % 2 == 0 ? "\n" : "\r\n";
            var text = Generate(random, random.Next(1, 300), newline, finalNewline: file % 3 != 0);
            var records = text.Split('\n').Where(l => l.Trim().Length > 0).ToList();
            var expected = records.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
            if (array)
            {
                // The same records as one JSON array, laid out as people and tools write them.
                text = (file % 4 == 0 ? "\uFEFF" : "") + $"[{newline}  " + string.Join($",{Space(random)}{newline}{Space(random)}", records.Select(r => r.TrimEnd('\r'))) + $"{newline}]{(file % 3 == 0 ? newline : "")}";
            }

            using var reader = Open(Encoding.UTF8.GetBytes(text), chunkBytes: chunkBytes);
            var batch = ReadAll(reader, batchRows: random.Next(1, 100));

            Assert.Equal(expected.Count, batch.RowCount);
            for (var row = 0; row < expected.Count; row++)
            {
                var line = expected[row];
                var where = $"file {file}, line {row}";
                Assert.True(line.GetProperty("id").GetInt64().Equals(batch["id"].GetValue(row)), where + " id");
                Assert.True(Equals(Oracle(line.GetProperty("x"), e => e.GetDouble()), batch["x"].GetValue(row)), where + " x");
                Assert.True(Equals(Oracle(line.GetProperty("s"), e => e.GetString()), batch["s"].GetValue(row)), where + " s");
                Assert.True(line.GetProperty("b").GetBoolean().Equals(batch["b"].GetValue(row)), where + " b");
                var vector = line.GetProperty("v").EnumerateArray().Select(e => e.GetSingle()).ToArray();
                Assert.True(vector.SequenceEqual(((VectorColumn)batch["v"]).Row(row).ToArray()), where + " v");
            }
        }
    }

    private static object? Oracle(JsonElement value, Func<JsonElement, object?> read) => value.ValueKind == JsonValueKind.Null ? null : read(value);

    private static string Generate(Random random, int lines, string newline, bool finalNewline)
    {
        var text = new StringBuilder();
        for (var i = 0; i < lines; i++)
        {
            if (random.Next(20) == 0)
            {
                text.Append(random.Next(2) == 0 ? "" : " \t").Append(newline); // a blank line
            }

            var fields = new List<string>
            {
                $"\"id\":{Space(random)}{i}",
                $"\"x\":{Space(random)}{(random.Next(10) == 0 ? "null" : Number(random))}",
                $"\"s\":{Space(random)}{(random.Next(12) == 0 ? "null" : Text(random))}",
                $"\"b\":{Space(random)}{(random.Next(2) == 0 ? "true" : "false")}",
                $"\"v\":{Space(random)}[{string.Join($",{Space(random)}", Enumerable.Range(0, 3).Select(_ => Number(random)))}]",
            };
            var order = fields.OrderBy(_ => random.Next()).ToList();
            text.Append('{').Append(Space(random)).Append(string.Join($"{Space(random)},{Space(random)}", order)).Append(Space(random)).Append('}');
            if (i < lines - 1 || finalNewline)
            {
                text.Append(newline);
            }
        }

        return text.ToString();
    }

    private static string Space(Random random) => random.Next(4) switch { 0 => " ", 1 => "  \t", _ => "" };

    /// <summary>A non-integral number, sometimes in exponent form, with up to 17 significant digits.</summary>
    private static string Number(Random random)
    {
        var value = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 9));
        value = Math.Round(value, random.Next(1, 10)) is var rounded && rounded != Math.Floor(rounded) ? rounded : value + 0.5;
        return random.Next(3) switch
        {
            0 => value.ToString("E6", CultureInfo.InvariantCulture),
            1 => value.ToString("R", CultureInfo.InvariantCulture),
            _ => value.ToString("G9", CultureInfo.InvariantCulture),
        };
    }

    private static string Text(Random random)
    {
        string[] pieces = ["plain", "a \\\"quote\\\"", "back\\\\slash", "tab\\t", "line\\nbreak", "\\u00e9t\\u00e9", "é", "日本", "😀", "\\ud83d\\ude00", "comma,", "{brace}", "[x]", ""];
        var text = new StringBuilder("\"");
        for (var n = random.Next(0, 4); n >= 0; n--)
        {
            text.Append(pieces[random.Next(pieces.Length)]).Append(random.Next(1_000));
        }

        return text.Append('"').ToString();
    }
}
