using System.Globalization;
using System.Text;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats.JsonLines;
using OrleansMl.Data.Schema;
using static OrleansMl.Data.Tests.Formats.JsonLines.JsonLinesTestFiles;

namespace OrleansMl.Data.Tests.Formats.JsonLines;

public sealed class JsonLinesDatasetReaderTests
{
    [Fact]
    public void InfersEveryColumnType()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 40; i++)
        {
            var price = i % 4 == 0 ? i.ToString(CultureInfo.InvariantCulture) : (i * 1.5).ToString(CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture,
                $$"""{"id":{{i}},"price":{{price}},"ok":{{(i % 2 == 0 ? "true" : "false")}},"when":"2024-01-{{(i % 28) + 1:00}}T10:00:00Z","color":"{{(i % 3 == 0 ? "red" : "blue")}}","note":"note {{i}}","emb":[{{i}},0.5,-1e-3]}""");
            text.Append('\n');
        }

        using var reader = Open(text.ToString());
        Assert.Equal(["id", "price", "ok", "when", "color", "note", "emb"], reader.Schema.Columns.Select(c => c.Name));
        Assert.Equal(
            [ColumnType.Int64, ColumnType.Float64, ColumnType.Boolean, ColumnType.Timestamp, ColumnType.Categorical, ColumnType.String, ColumnType.Vector],
            reader.Schema.Columns.Select(c => c.Type));
        Assert.Equal(3, reader.Schema[6].VectorLength);

        var batch = ReadAll(reader);
        Assert.Equal(40, batch.RowCount);
        Assert.Equal(39L, batch["id"].GetValue(39));
        Assert.Equal(58.5, batch["price"].GetValue(39));
        Assert.Equal(24.0, batch["price"].GetValue(24));
        Assert.Equal(false, batch["ok"].GetValue(1));
        Assert.Equal(new DateTime(2024, 1, 1, 10, 0, 0, DateTimeKind.Utc), batch["when"].GetValue(0));
        Assert.Equal("red", batch["color"].GetValue(3));
        Assert.Equal("note 7", batch["note"].GetValue(7));
        Assert.Equal([7f, 0.5f, -0.001f], ((VectorColumn)batch["emb"]).Row(7).ToArray());
        Assert.Equal(40, reader.RowsRead);
    }

    [Fact]
    public void IsoTimestampStringsInferAsTimestampAndOtherStringsStayText()
    {
        using var reader = Open("""
            {"at":"2024-03-01T08:30:00.25+01:00","day":"2024-03-01","digits":"123","maybe":"soon","flag":"true"}
            {"at":"2024-03-02 09:00:00","day":"2024-03-02","digits":"456","maybe":"2024-03-01","flag":"false"}
            """);
        Assert.Equal(
            [ColumnType.Timestamp, ColumnType.Timestamp, ColumnType.String, ColumnType.String, ColumnType.String],
            reader.Schema.Columns.Select(c => c.Type));
        var batch = ReadAll(reader);
        Assert.Equal(new DateTime(2024, 3, 1, 7, 30, 0, 250, DateTimeKind.Utc), batch["at"].GetValue(0));
        Assert.Equal(new DateTime(2024, 3, 2, 0, 0, 0, DateTimeKind.Utc), batch["day"].GetValue(1));
        Assert.Equal("123", batch["digits"].GetValue(0));
        Assert.Equal("true", batch["flag"].GetValue(0));
    }

    [Fact]
    public void SchemaIsTheUnionOfKeysInOrderOfFirstAppearanceAndMissingKeysAreNull()
    {
        using var reader = Open("""
            {"a":1,"b":"x"}
            {"c":2.5,"a":null}
            {"b":null,"d":true,"a":3}
            {}
            """);
        Assert.Equal("a: int64, b: string, c: float64, d: boolean", reader.Schema.ToString());
        var batch = ReadAll(reader);
        Assert.Equal(4, batch.RowCount);
        Assert.Equal<object?[]>([1L, null, 3L, null], [.. Enumerable.Range(0, 4).Select(batch["a"].GetValue)]);
        Assert.Equal<object?[]>(["x", null, null, null], [.. Enumerable.Range(0, 4).Select(batch["b"].GetValue)]);
        Assert.Equal<object?[]>([null, 2.5, null, null], [.. Enumerable.Range(0, 4).Select(batch["c"].GetValue)]);
        Assert.Equal<object?[]>([null, null, true, null], [.. Enumerable.Range(0, 4).Select(batch["d"].GetValue)]);
    }

    [Fact]
    public void KeyWithOnlyNullsIsAStringColumnOfNulls()
    {
        using var reader = Open("{\"a\":1,\"none\":null}\n{\"a\":2,\"none\":null}\n");
        Assert.Equal(ColumnType.String, reader.Schema.Get("none").Type);
        Assert.Equal(2, ReadAll(reader)["none"].CountNulls());
    }

    [Fact]
    public void ReadsKeysInAnyOrderEscapesAndUnicode()
    {
        using var reader = Open("""
            {"name":"plain","n":1}
            {"n":2,"\u006eame":"tab\there \"quoted\" \u00e4\ud83d\ude00"}
            {"n" : 3 , "name" : "ä€😀" }
            """);
        var batch = ReadAll(reader);
        Assert.Equal(["name", "n"], reader.Schema.Columns.Select(c => c.Name));
        Assert.Equal("tab\there \"quoted\" ä😀", batch["name"].GetValue(1));
        Assert.Equal("ä€😀", batch["name"].GetValue(2));
        Assert.Equal(3L, batch["n"].GetValue(2));
    }

    [Fact]
    public void NumbersAndBooleansInATextColumnKeepTheirText()
    {
        using var reader = Open("{\"v\":\"abc\"}\n{\"v\":12.50}\n{\"v\":true}\n{\"v\":-7}\n");
        Assert.Equal(ColumnType.String, reader.Schema[0].Type);
        var batch = ReadAll(reader);
        Assert.Equal<object?[]>(["abc", "12.50", "true", "-7"], [.. Enumerable.Range(0, 4).Select(batch["v"].GetValue)]);
    }

    [Fact]
    public void ArraysOfNumbersAreVectorsAndANullVectorIsNull()
    {
        using var reader = Open("{\"id\":1,\"v\":[1,2.5,3e2,-4]}\n{\"id\":2,\"v\":null}\n{\"id\":3}\n{\"id\":4,\"v\":[0,0,0,1]}\n");
        Assert.Equal(new ColumnSchema("v", ColumnType.Vector, 4), reader.Schema[1]);
        var vectors = (VectorColumn)ReadAll(reader, 2)["v"];
        Assert.Equal([1f, 2.5f, 300f, -4f], vectors.Row(0).ToArray());
        Assert.True(vectors.IsNull(1));
        Assert.True(vectors.IsNull(2));
        Assert.Equal([0f, 0f, 0f, 1f], vectors.Row(3).ToArray());
    }

    [Fact]
    public void SkipsAByteOrderMarkBlankLinesAndAcceptsCrLf()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("{\"name\":\"ä\",\"n\":1}\r\n\r\n   \r\n\t\n{\"name\":\"b\",\"n\":2}\r\n\n")).ToArray();
        using var reader = Open(bytes);
        Assert.Equal("name", reader.Schema[0].Name);
        var batch = ReadAll(reader);
        Assert.Equal(2, batch.RowCount);
        Assert.Equal<object?[]>(["ä", "b"], [batch["name"].GetValue(0), batch["name"].GetValue(1)]);
        Assert.Equal(2L, batch["n"].GetValue(1));
        Assert.Equal(bytes.Length, reader.BytesRead);
    }

    [Fact]
    public void AFinalLineWithoutALineBreakIsRead()
    {
        using var reader = Open("{\"a\":1}\n{\"a\":2}");
        Assert.Equal(2, ReadAll(reader).RowCount);
    }

    [Fact]
    public void ReadsAcrossBufferBoundariesIdentically()
    {
        var text = new StringBuilder();
        var random = new Random(5);
        for (var i = 0; i < 50_000; i++)
        {
            var category = (i % 7).ToString(CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture,
                $$"""{"k":{{i}},"x":{{random.NextDouble():R}},"s":"s,{{i}}\n","c":"c{{category}}","v":[{{i % 10}},{{random.Next(100)}}]}""");
            text.Append(i % 3 == 0 ? "\r\n" : "\n");
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        using var whole = Open(bytes);
        using var trickled = Open(bytes, chunkBytes: 7);
        var expected = ReadAll(whole, 4096);
        var actual = ReadAll(trickled, 4096);

        Assert.Equal("k: int64, x: float64, s: string, c: categorical, v: vector[2]", whole.Schema.ToString());
        Assert.Equal(whole.Schema, trickled.Schema);
        Assert.Equal(50_000, expected.RowCount);
        Assert.Equal(50_000, actual.RowCount);
        Assert.Equal(49_999L, actual["k"].GetValue(49_999));
        Assert.Equal("s,12345\n", actual["s"].GetValue(12_345));
        Assert.Equal(((Int64Column)expected["k"]).Values, ((Int64Column)actual["k"]).Values);
        Assert.Equal(((Float64Column)expected["x"]).Values, ((Float64Column)actual["x"]).Values);
        Assert.Equal(((StringColumn)expected["s"]).Values.ToArray(), ((StringColumn)actual["s"]).Values.ToArray());
        Assert.Equal(((StringColumn)expected["c"]).Values.ToArray(), ((StringColumn)actual["c"]).Values.ToArray());
        Assert.Equal(((VectorColumn)expected["v"]).Values, ((VectorColumn)actual["v"]).Values);
        Assert.Equal(bytes.Length, whole.BytesRead);
        Assert.Equal(bytes.Length, trickled.BytesRead);
    }

    [Fact]
    public void OverridesReplaceInferredTypesAndDeclareKeysTheSampleLacks()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 20; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $$"""{"id":{{i}},"code":{{i * 10}},"tag":"t{{i % 2}}"}""").Append('\n');
        }

        text.Append("""{"id":20,"code":200,"tag":"t0","late":5}""").Append('\n');
        var options = new JsonLinesOptions
        {
            InferenceRows = 5,
            ColumnTypes = new Dictionary<string, ColumnType> { ["id"] = ColumnType.Float64, ["code"] = ColumnType.String, ["late"] = ColumnType.Int64 },
        };
        using var reader = Open(text.ToString(), options);
        Assert.Equal("id: float64, code: string, tag: categorical, late: int64", reader.Schema.ToString());
        var batch = ReadAll(reader, 8);
        Assert.Equal(21, batch.RowCount);
        Assert.Equal(3.0, batch["id"].GetValue(3));
        Assert.Equal("30", batch["code"].GetValue(3));
        Assert.Null(batch["late"].GetValue(19));
        Assert.Equal(5L, batch["late"].GetValue(20));
    }

    [Fact]
    public void VectorOverrideForAKeyWithoutAnArrayFails()
    {
        var options = new JsonLinesOptions { ColumnTypes = new Dictionary<string, ColumnType> { ["v"] = ColumnType.Vector } };
        var error = Assert.Throws<SchemaException>(() => Open("{\"a\":1}\n", options));
        Assert.Contains("key 'v' is declared a vector", error.Message, StringComparison.Ordinal);
    }
}
