using System.Text;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats;
using OrleansMl.Data.Formats.Csv;
using OrleansMl.Data.Schema;
using OrleansMl.Testing;

namespace OrleansMl.Data.Tests.Formats.Csv;

public sealed class CsvDatasetReaderTests
{
    private static CsvDatasetReader Open(string text, CsvOptions? options = null, Action<BadRecord>? onBad = null) =>
        Open(Encoding.UTF8.GetBytes(text), options, onBad);

    private static CsvDatasetReader Open(byte[] bytes, CsvOptions? options = null, Action<BadRecord>? onBad = null) =>
        new(new NonSeekableStream(new MemoryStream(bytes)), "test.csv", options, onBad);

    private static ColumnBatch ReadAll(CsvDatasetReader reader, int batchRows = 1000)
    {
        var batches = new List<ColumnBatch>();
        while (reader.ReadBatch(batchRows) is { } batch)
        {
            batches.Add(batch);
        }

        return ColumnBatch.Concat(reader.Schema, batches);
    }

    [Fact]
    public void InfersEveryColumnType()
    {
        var text = new StringBuilder("id,price,ok,when,color,note\n");
        for (var i = 0; i < 40; i++)
        {
            text.Append($"{i},{i * 1.5},{(i % 2 == 0 ? "true" : "FALSE")},2024-01-{(i % 28) + 1:00}T10:00:00Z,{(i % 3 == 0 ? "red" : "blue")},note {i}\n");
        }

        using var reader = Open(text.ToString());
        Assert.Equal(
            [ColumnType.Int64, ColumnType.Float64, ColumnType.Boolean, ColumnType.Timestamp, ColumnType.Categorical, ColumnType.String],
            reader.Schema.Columns.Select(c => c.Type));
        var batch = ReadAll(reader);
        Assert.Equal(40, batch.RowCount);
        Assert.Equal(58.5, ((Float64Column)batch["price"]).Values[39]);
        Assert.Equal(new DateTime(2024, 1, 1, 10, 0, 0, DateTimeKind.Utc), batch["when"].GetValue(0));
        Assert.Equal("note 7", batch["note"].GetValue(7));
    }

    [Fact]
    public void ReadsQuotedFieldsWithDelimitersQuotesAndNewlines()
    {
        using var reader = Open("a,b\r\n\"x, \"\"quoted\"\"\r\nline\",2\r\nplain,3\r\n");
        var batch = ReadAll(reader);
        Assert.Equal("x, \"quoted\"\r\nline", batch["a"].GetValue(0));
        Assert.Equal(3L, batch["b"].GetValue(1));
    }

    [Fact]
    public void ReportsTheLineOfARecordAfterAQuotedNewline()
    {
        using var reader = Open("a,b\n\"two\nlines\",1\nthree,x\n", new CsvOptions { ColumnTypes = new Dictionary<string, ColumnType> { ["b"] = ColumnType.Int64 } });
        var error = Assert.Throws<DataFormatException>(() => ReadAll(reader));
        Assert.Equal(4, error.Line);
        Assert.Equal(2, error.ColumnNumber);
        Assert.Contains("expected int64, found 'x'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a\tb\n1\t2\n", '\t')]
    [InlineData("a;b\n1,5;2,5\n", ';')]
    [InlineData("a|b|c\n1|2|3\n", '|')]
    [InlineData("a,b\n\"1;2\",3\n", ',')]
    public void DetectsTheDelimiter(string text, char expected)
    {
        using var reader = Open(text);
        Assert.Equal(expected, reader.Delimiter);
    }

    [Fact]
    public void SkipsAByteOrderMarkAndAcceptsCrLf()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("name,n\r\nä,1\r\nb,2")).ToArray();
        using var reader = Open(bytes);
        Assert.Equal("name", reader.Schema[0].Name);
        var batch = ReadAll(reader);
        Assert.Equal(["ä", "b"], [batch["name"].GetValue(0), batch["name"].GetValue(1)]);
        Assert.Equal(2L, batch["n"].GetValue(1));
    }

    [Fact]
    public void EmptyFileFailsWithAClearMessage()
    {
        var error = Assert.Throws<DataFormatException>(() => Open(""));
        Assert.Contains("test.csv: the file is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HeaderOnlyFileFailsWithAClearMessage()
    {
        var error = Assert.Throws<DataFormatException>(() => Open("a,b,c\r\n"));
        Assert.Contains("header line but no data rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RaggedRowFailsWithLineAndColumn()
    {
        using var reader = Open("a,b,c\n1,2,3\n4,5\n");
        var error = Assert.Throws<DataFormatException>(() => ReadAll(reader));
        Assert.Equal("test.csv: line 3, column 3: expected 3 fields, found 2", error.Message);
    }

    [Fact]
    public void InvalidUtf8FailsNamingTheField()
    {
        var bytes = Encoding.UTF8.GetBytes("a,b\nok,1\nbad").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes(",2\n")).ToArray();
        using var reader = Open(bytes);
        var error = Assert.Throws<DataFormatException>(() => ReadAll(reader));
        Assert.Equal(3, error.Line);
        Assert.Equal(1, error.ColumnNumber);
        Assert.Contains("not valid UTF-8 (at byte 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TypeMismatchAfterTheInferenceSampleNamesLineColumnAndValue()
    {
        var text = new StringBuilder("id,value\n");
        for (var i = 0; i < 30; i++)
        {
            text.Append($"{i},{i}\n");
        }

        text.Append("30,thirty\n");
        using var reader = Open(text.ToString(), new CsvOptions { InferenceRows = 10 });
        var error = Assert.Throws<DataFormatException>(() => ReadAll(reader, 7));
        Assert.Equal("test.csv: line 32, column 2: column 'value': expected int64, found 'thirty' (set this column's type, or import with the skip policy)", error.Message);
    }

    [Fact]
    public void SkipPolicyQuarantinesBadRecordsAndKeepsTheRest()
    {
        var bad = new List<BadRecord>();
        using var reader = Open("a,b\n1,2\n3\n5,x\n\"q\"\"t\",4\n7,8\n", new CsvOptions
        {
            BadRecords = BadRecordPolicy.Skip,
            ColumnTypes = new Dictionary<string, ColumnType> { ["a"] = ColumnType.Int64, ["b"] = ColumnType.Int64 },
        }, bad.Add);
        var batch = ReadAll(reader);
        Assert.Equal(2, batch.RowCount);
        Assert.Equal([1L, 7L], [batch["a"].GetValue(0), batch["a"].GetValue(1)]);
        Assert.Equal(3, reader.BadRecordCount);
        Assert.Equal([3L, 4L, 5L], bad.Select(b => b.Line));
        Assert.Equal("\"q\"\"t\",4", bad[2].Text);
    }

    [Fact]
    public void ReadsATenMegabyteField()
    {
        var big = new string('x', 10 * 1024 * 1024);
        using var reader = Open($"id,blob\n1,\"{big}\"\n2,small\n");
        var batch = ReadAll(reader);
        Assert.Equal(big, batch["blob"].GetValue(0));
        Assert.Equal("small", batch["blob"].GetValue(1));
    }

    [Fact]
    public void RecordOverTheLimitFailsNamingTheLimit()
    {
        var big = new string('x', 3 * 1024 * 1024);
        var error = Assert.Throws<DataFormatException>(() => ReadAll(Open($"id,blob\n1,{big}\n", new CsvOptions { MaxRecordBytes = 2 * 1024 * 1024 })));
        Assert.Contains("MaxRecordBytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void NullsEmptyStringsAndOverrides()
    {
        using var reader = Open("a,b,c\n1,,\"\"\nNA,2.5,x\n", new CsvOptions { ColumnTypes = new Dictionary<string, ColumnType> { ["a"] = ColumnType.Float64 } });
        Assert.Equal(ColumnType.Float64, reader.Schema[0].Type);
        var batch = ReadAll(reader);
        Assert.Null(batch["a"].GetValue(1));
        Assert.Null(batch["b"].GetValue(0));
        Assert.Equal(string.Empty, batch["c"].GetValue(0));
    }

    [Fact]
    public void OverrideForAnUnknownColumnFails()
    {
        var error = Assert.Throws<SchemaException>(() => Open("a,b\n1,2\n", new CsvOptions { ColumnTypes = new Dictionary<string, ColumnType> { ["z"] = ColumnType.Int64 } }));
        Assert.Contains("'z'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Columns: a, b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnclosedQuoteFailsWithTheLineWhereItOpened()
    {
        var error = Assert.Throws<DataFormatException>(() => ReadAll(Open("a,b\n1,2\n3,\"open\nmore\n")));
        Assert.Equal(3, error.Line);
        Assert.Equal(2, error.ColumnNumber);
        Assert.Contains("not closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HeaderlessFilesAndDuplicateNames()
    {
        using var headerless = Open("1,2\n3,4\n", new CsvOptions { HasHeader = false });
        Assert.Equal(["column_1", "column_2"], headerless.Schema.Columns.Select(c => c.Name));
        Assert.Equal(2, ReadAll(headerless).RowCount);
        using var duplicates = Open("x,x,\n1,2,3\n");
        Assert.Equal(["x", "x_2", "column_3"], duplicates.Schema.Columns.Select(c => c.Name));
        using var clash = Open("a,a_2,a,a,a_3\n1,2,3,4,5\n");
        Assert.Equal(["a", "a_2", "a_3", "a_4", "a_3_2"], clash.Schema.Columns.Select(c => c.Name));
    }

    /// <summary>A header of one name repeated renames in linear time: renaming each copy by trying _2, _3, … again took minutes at this size.</summary>
    [Fact]
    public void AHeaderOfOneNameRepeatedManyTimesGetsUniqueNames()
    {
        const int Columns = 30_000;
        var header = string.Join(',', Enumerable.Repeat("a", Columns));
        var row = string.Join(',', Enumerable.Repeat("1", Columns));
        using var reader = Open($"{header}\n{row}\n");

        var names = reader.Schema.Columns.Select(c => c.Name).ToList();
        Assert.Equal(Columns, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(("a", "a_2", $"a_{Columns}"), (names[0], names[1], names[^1]));
    }

    [Fact]
    public void ReadsAcrossBufferBoundariesIdentically()
    {
        var text = new StringBuilder("k,v,s\n");
        var random = new Random(5);
        for (var i = 0; i < 50_000; i++)
        {
            text.Append($"{i},{random.NextDouble():R},\"s,{i}\"\r\n");
        }

        using var reader = Open(text.ToString());
        var batch = ReadAll(reader, 4096);
        Assert.Equal(50_000, batch.RowCount);
        Assert.Equal(49_999L, batch["k"].GetValue(49_999));
        Assert.Equal("s,12345", batch["s"].GetValue(12_345));
        Assert.Equal(reader.BytesRead, Encoding.UTF8.GetByteCount(text.ToString()));
    }
}
