using System.Globalization;
using System.Text;
using OrleansMl.Data.Formats;
using OrleansMl.Data.Formats.JsonLines;
using OrleansMl.Data.Schema;
using static OrleansMl.Data.Tests.Formats.JsonLines.JsonLinesTestFiles;

namespace OrleansMl.Data.Tests.Formats.JsonLines;

public sealed class JsonLinesDatasetReaderErrorTests
{
    [Theory]
    [InlineData("")]
    [InlineData("\n\n  \r\n\t\n")]
    [InlineData("\uFEFF")]
    public void EmptyFileFailsWithAClearMessage(string text)
    {
        var error = Assert.Throws<DataFormatException>(() => Open(text));
        Assert.StartsWith("test.jsonl: the file is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LinesWithoutKeysFail()
    {
        var error = Assert.Throws<DataFormatException>(() => Open("{}\n{ }\n"));
        Assert.Contains("hold no keys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TypeMismatchAfterTheInferenceSampleNamesLineColumnKeyAndValue()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 30; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $$"""{"id":{{i}},"price":{{i}}.5}""").Append('\n');
        }

        text.Append("""{"id":30,"price":"abc"}""").Append('\n');
        using var reader = Open(text.ToString(), new JsonLinesOptions { InferenceRows = 10 });
        var error = Assert.Throws<DataFormatException>(() => ReadAll(reader, 7));
        Assert.Equal("test.jsonl: line 31, column 18: key 'price': expected float64, found string \"abc\"", error.Message);
        Assert.Equal(31, error.Line);
        Assert.Equal(18, error.ColumnNumber);
    }

    [Fact]
    public void FloatInAnInt64ColumnIsAMismatch()
    {
        using var reader = Open("{\"n\":1}\n{\"n\":2}\n{\"n\":2.5}\n", new JsonLinesOptions { InferenceRows = 2 });
        var error = Assert.Throws<DataFormatException>(() => ReadAll(reader));
        Assert.Equal("test.jsonl: line 3, column 6: key 'n': expected int64, found number 2.5", error.Message);
    }

    [Fact]
    public void VectorOfAnotherLengthIsAMismatch()
    {
        using var reader = Open("{\"v\":[1,2]}\n{\"v\":[1,2,3]}\n");
        var error = Assert.Throws<DataFormatException>(() => ReadAll(reader));
        Assert.Equal("test.jsonl: line 2, column 6: key 'v': expected vector[2], found an array of 3 numbers", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    public void VectorElementThatIsNotANumberFails(int inferenceRows)
    {
        var error = Assert.Throws<DataFormatException>(() => ReadAll(Open("{\"v\":[1,2]}\n{\"v\":[1,\"x\"]}\n", new JsonLinesOptions { InferenceRows = inferenceRows })));
        Assert.Equal("test.jsonl: line 2, column 9: key 'v': a vector element must be a number (arrays are read as float32 vectors), found string \"x\"", error.Message);
    }

    [Fact]
    public void UnknownKeyAfterTheInferenceSampleNamesLineAndKey()
    {
        using var reader = Open("{\"a\":1}\n{\"a\":2}\n{\"a\":3,\"zz\":4}\n", new JsonLinesOptions { InferenceRows = 2 });
        var error = Assert.Throws<DataFormatException>(() => ReadAll(reader));
        Assert.Equal(3, error.Line);
        Assert.Equal(8, error.ColumnNumber);
        Assert.Contains("key 'zz' is not in the schema inferred from the first 2 lines", error.Message, StringComparison.Ordinal);
        Assert.Contains("JsonLinesOptions.ColumnTypes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    public void InvalidJsonFailsWithLineAndBytePosition(int inferenceRows)
    {
        var error = Assert.Throws<DataFormatException>(() => ReadAll(Open("{\"a\":1}\n{\"a\":x}\n", new JsonLinesOptions { InferenceRows = inferenceRows })));
        Assert.Equal("test.jsonl: line 2, column 6: invalid JSON: 'x' is an invalid start of a value.", error.Message);
    }

    [Theory]
    [InlineData("{\"a\":1", 1, 7)]
    [InlineData("{\"a\":1} {\"a\":2}", 1, 9)]
    [InlineData("{\"a\":1,}", 1, 8)]
    public void TruncatedOrTrailingJsonFails(string line, long expectedLine, int expectedColumn)
    {
        var error = Assert.Throws<DataFormatException>(() => Open(line));
        Assert.Equal(expectedLine, error.Line);
        Assert.Equal(expectedColumn, error.ColumnNumber);
        Assert.Contains("invalid JSON", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1,2]", "expected a JSON object, found an array", 1)]
    [InlineData("  42", "expected a JSON object, found number 42", 3)]
    [InlineData("{\"a\":1,\"meta\":{\"x\":1}}", "key 'meta': nested objects are not supported; flatten them", 15)]
    [InlineData("{\"a\":1,\"a\":2}", "key 'a' appears more than once in the line", 8)]
    [InlineData("{\"a\":[]}", "key 'a': an empty array cannot be a vector; write null for a missing vector", 6)]
    public void UnsupportedShapesFailNamingWhere(string line, string problem, int column)
    {
        var error = Assert.Throws<DataFormatException>(() => Open("{\"a\":1}\n" + line + "\n"));
        Assert.Equal($"test.jsonl: line 2, column {column}: {problem}", error.Message);
    }

    [Fact]
    public void NestedObjectAfterTheInferenceSampleFailsNamingTheKey()
    {
        using var reader = Open("{\"a\":1,\"m\":2}\n{\"a\":1,\"m\":{\"x\":1}}\n", new JsonLinesOptions { InferenceRows = 1 });
        var error = Assert.Throws<DataFormatException>(() => ReadAll(reader));
        Assert.Equal("test.jsonl: line 2, column 12: key 'm': nested objects are not supported; flatten them", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    public void InvalidUtf8FailsNamingTheKeyAndByte(int inferenceRows)
    {
        var bytes = Encoding.UTF8.GetBytes("{\"a\":\"ok\"}\n{\"a\":\"ba").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("\"}\n")).ToArray();
        var error = Assert.Throws<DataFormatException>(() => ReadAll(Open(bytes, new JsonLinesOptions { InferenceRows = inferenceRows })));
        Assert.Equal(2, error.Line);
        Assert.Equal(6, error.ColumnNumber);
        Assert.Contains("key 'a' is not valid UTF-8 (at byte 2 of the value)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8OutsideAStringFailsWithItsPosition()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"a\":1,").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("}\n")).ToArray();
        var error = Assert.Throws<DataFormatException>(() => Open(bytes));
        Assert.Equal("test.jsonl: line 1, column 8: the line is not valid UTF-8 (at byte 7 of the line)", error.Message);
    }

    [Theory]
    [InlineData(100, 300)]
    [InlineData(2 << 20, 3 << 20)]
    public void LineOverTheLimitFailsNamingTheLimit(int maxLineBytes, int lineBytes)
    {
        var text = "{\"a\":\"x\"}\n{\"a\":\"" + new string('x', lineBytes) + "\"}\n";
        var error = Assert.Throws<DataFormatException>(() => ReadAll(Open(text, new JsonLinesOptions { MaxLineBytes = maxLineBytes, InferenceRows = 1 })));
        Assert.Equal(2, error.Line);
        Assert.Contains($"longer than the limit of {maxLineBytes:N0} bytes (JsonLinesOptions.MaxLineBytes)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LineAtTheLimitIsRead()
    {
        var line = "{\"a\":\"" + new string('x', 92) + "\"}";
        Assert.Equal(100, line.Length);
        using var reader = Open(line + "\r\n" + line + "\r\n", new JsonLinesOptions { MaxLineBytes = 100 });
        Assert.Equal(2, ReadAll(reader).RowCount);
    }

    [Fact]
    public void ReadsATenMegabyteLine()
    {
        var big = new string('x', 10 * 1024 * 1024);
        using var reader = Open($"{{\"id\":1,\"blob\":\"{big}\"}}\n{{\"id\":2,\"blob\":\"small\"}}\n");
        var batch = ReadAll(reader);
        Assert.Equal(big, batch["blob"].GetValue(0));
        Assert.Equal("small", batch["blob"].GetValue(1));
    }

    [Fact]
    public void SkipPolicyQuarantinesBadRecordsAndKeepsTheRest()
    {
        var bad = new List<BadRecord>();
        var lines = new[]
        {
            "{\"a\":1,\"b\":2}",
            "{\"a\":3,\"b\":",
            "{\"a\":5,\"b\":\"x\"}",
            "{\"a\":7,\"b\":8}",
            "[1]",
            "{\"a\":9,\"zz\":1}",
            "",
            "{\"a\":11,\"b\":12}",
            "{\"a\":13,\"b\":{\"c\":1}}",
            "{\"b\":14}",
        };
        var options = new JsonLinesOptions { InferenceRows = 2, BadRecords = BadRecordPolicy.Skip };
        using var reader = Open(string.Join("\n", lines), options, bad.Add);
        Assert.Equal("a: int64, b: int64", reader.Schema.ToString());

        var batch = ReadAll(reader, 2);
        Assert.Equal<object?[]>([1L, 7L, 11L, null], [.. Enumerable.Range(0, batch.RowCount).Select(batch["a"].GetValue)]);
        Assert.Equal<object?[]>([2L, 8L, 12L, 14L], [.. Enumerable.Range(0, batch.RowCount).Select(batch["b"].GetValue)]);
        Assert.Equal(5, reader.BadRecordCount);
        Assert.Equal(4, reader.RowsRead);
        Assert.Equal([2L, 3L, 5L, 6L, 9L], bad.Select(b => b.Line));
        Assert.Equal([12, 12, 1, 8, 13], bad.Select(b => b.Column ?? 0));
        Assert.Equal(lines[2], bad[1].Text);
        Assert.Equal("key 'b': expected int64, found string \"x\"", bad[1].Reason);
    }

    [Fact]
    public void SkipPolicyWithOnlyBadSampleLinesFailsForWantOfKeys()
    {
        var bad = new List<BadRecord>();
        var error = Assert.Throws<DataFormatException>(() => Open("not json\n[1]\n", new JsonLinesOptions { BadRecords = BadRecordPolicy.Skip }, bad.Add));
        Assert.Contains("hold no keys", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 100, 1024, "JsonLinesOptions.InferenceRows")]
    [InlineData(10, -1, 1024, "JsonLinesOptions.CategoricalMaxDistinct")]
    [InlineData(10, 100, 0, "JsonLinesOptions.MaxLineBytes")]
    public void InvalidOptionsFailNamingTheSetting(int inferenceRows, int categoricalMaxDistinct, int maxLineBytes, string setting)
    {
        var options = new JsonLinesOptions { InferenceRows = inferenceRows, CategoricalMaxDistinct = categoricalMaxDistinct, MaxLineBytes = maxLineBytes };
        var error = Assert.Throws<ArgumentException>(() => Open("{\"a\":1}\n", options));
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OverrideTypeIsEnforcedOnEveryLine()
    {
        var options = new JsonLinesOptions { ColumnTypes = new Dictionary<string, ColumnType> { ["a"] = ColumnType.Boolean } };
        using var reader = Open("{\"a\":true}\n{\"a\":1}\n", options);
        var error = Assert.Throws<DataFormatException>(() => ReadAll(reader));
        Assert.Equal("test.jsonl: line 2, column 6: key 'a': expected boolean, found number 1", error.Message);
    }
}
