using System.Text;
using Microsoft.VisualBasic.FileIO;
using OrleansMl.Data.Formats.Csv;

namespace OrleansMl.Data.Tests.Formats.Csv;

/// <summary>
/// The tokenizer against an independent parser (.NET's <see cref="TextFieldParser"/>) on generated
/// files: random record counts and field widths, so records straddle every buffer boundary; LF,
/// CRLF and CR line ends; with and without a newline after the last record; quoted fields holding
/// delimiters, doubled quotes and line breaks, quotes landing on buffer edges. A file of 10,000 CRLF
/// rows without a final newline once failed with an internal "out of range" error.
/// </summary>
public sealed class CsvTokenizerDifferentialTests
{
    [Theory]
    [InlineData(1, 16)]
    [InlineData(2, 64)]
    [InlineData(3, 100)]
    [InlineData(4, 1 << 10)]
    [InlineData(5, 1 << 20)]
    public void RecordsMatchAnIndependentParser(int seed, int bufferBytes)
    {
        var random = new Random(seed);
        for (var file = 0; file < 60; file++)
        {
            var newline = (file % 3) switch { 0 => "\n", 1 => "\r\n", _ => "\r" };
            var finalNewline = file % 2 == 0;
            var (text, expected) = Generate(random, random.Next(1, 400), random.Next(1, 6), newline, finalNewline);

            var actual = Tokenize(text, bufferBytes);

            Assert.True(expected.Count == actual.Count, $"file {file} ({Describe(newline)}, final newline {finalNewline}): {expected.Count} records expected, {actual.Count} read");
            for (var r = 0; r < expected.Count; r++)
            {
                Assert.True(expected[r].SequenceEqual(actual[r]), $"file {file} ({Describe(newline)}), record {r}: expected [{string.Join("|", expected[r])}], read [{string.Join("|", actual[r])}]");
            }

            Assert.Equal(expected, Reference(text));
        }
    }

    [Fact]
    public void TenThousandCrlfRowsWithoutAFinalNewlineAreAllRead()
    {
        var text = new StringBuilder("id,name,value\r\n");
        for (var i = 0; i < 10_000; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i},\"n{i}\",{i * 0.5}").Append(i < 9_999 ? "\r\n" : "");
        }

        using var reader = new CsvDatasetReader(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())), "rows.csv");
        var rows = 0;
        while (reader.ReadBatch(4_096) is { RowCount: > 0 } batch)
        {
            rows += batch.RowCount;
        }

        Assert.Equal(10_000, rows);
    }

    private static (string Text, List<string[]> Records) Generate(Random random, int records, int fields, string newline, bool finalNewline)
    {
        var text = new StringBuilder();
        var expected = new List<string[]>(records);
        for (var r = 0; r < records; r++)
        {
            var values = new string[fields];
            for (var f = 0; f < fields; f++)
            {
                var quoted = random.Next(3) == 0;
                values[f] = Value(random, quoted);

                // An empty unquoted record would be an empty line, which both parsers skip.
                if (fields == 1 && !quoted && values[f].Length == 0)
                {
                    values[f] = "x";
                }

                text.Append(quoted ? $"\"{values[f].Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : values[f]);
                if (f < fields - 1)
                {
                    text.Append(',');
                }
            }

            expected.Add(values);
            if (r < records - 1 || finalNewline)
            {
                text.Append(newline);
            }
        }

        return (text.ToString(), expected);
    }

    /// <summary>
    /// Letters and digits; a quoted value may also hold commas, quotes and line breaks, never two line
    /// breaks in a row (the reference drops the empty line between them even inside quotes).
    /// </summary>
    private static string Value(Random random, bool quoted)
    {
        const string Plain = "abcxyz0123456789";
        const string Special = ",\"\n";
        var length = random.Next(0, random.Next(2) == 0 ? 4 : 40);
        var value = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            var next = quoted && random.Next(6) == 0 ? Special[random.Next(Special.Length)] : Plain[random.Next(Plain.Length)];
            value.Append(next == '\n' && value.Length > 0 && value[^1] == '\n' ? 'n' : next);
        }

        return value.ToString();
    }

    private static List<string[]> Tokenize(string text, int bufferBytes)
    {
        var tokenizer = new CsvTokenizer(new MemoryStream(Encoding.UTF8.GetBytes(text)), "generated.csv", maxRecordBytes: 1 << 24, bufferBytes);
        var records = new List<string[]>();
        while (tokenizer.ReadRecord())
        {
            var fields = new string[tokenizer.FieldCount];
            for (var f = 0; f < fields.Length; f++)
            {
                fields[f] = Encoding.UTF8.GetString(tokenizer.Field(f));
            }

            records.Add(fields);
        }

        return records;
    }

    private static List<string[]> Reference(string text)
    {
        using var parser = new TextFieldParser(new StringReader(text)) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = false };
        parser.SetDelimiters(",");
        var records = new List<string[]>();
        while (!parser.EndOfData)
        {
            records.Add(parser.ReadFields()!);
        }

        return records;
    }

    private static string Describe(string newline) => newline switch { "\n" => "LF", "\r\n" => "CRLF", _ => "CR" };
}
