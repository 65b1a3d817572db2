using System.Text;
using OrleansMl.Data.Formats;
using OrleansMl.Testing;
using static OrleansMl.Data.Tests.Formats.JsonLines.JsonLinesTestFiles;

namespace OrleansMl.Data.Tests.Formats.JsonLines;

/// <summary>A JSON file holding one array of objects: read element by element, checked against DuckDB's reading of the same file.</summary>
public sealed class JsonArrayTests
{
    [Fact]
    public async Task AnArrayWrittenByDuckDbReadsAsDuckDbReadsIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"orleansml-array-{Guid.NewGuid():N}.json");
        try
        {
            await DuckDb.QueryAsync($$"""
                COPY (SELECT i AS id, 'name ' || i || ', "quoted" [x] {y}' AS name, CASE WHEN i % 7 = 0 THEN NULL ELSE i / 4.0 END AS x, i % 2 = 0 AS even, [i, i + 1, i + 2]::FLOAT[] AS v
                      FROM range(20000) t(i)) TO {{DuckDb.Quote(path)}} (FORMAT json, ARRAY true)
                """);
            var expected = (await DuckDb.QueryAsync($"SELECT count(*) AS n, sum(x) AS sx, count(x) AS cx, sum(length(name)) AS ln, sum(v[3]) AS v3 FROM read_json({DuckDb.Quote(path)})"))[0];

            using var reader = Open(File.ReadAllBytes(path), chunkBytes: 1 << 16);
            var rows = ReadAll(reader, 4096);

            Assert.Equal(["id:Int64", "name:String", "x:Float64", "even:Boolean", "v:Vector"], reader.Schema.Columns.Select(c => $"{c.Name}:{c.Type}"));
            Assert.Equal(Number(expected, "n"), rows.RowCount);
            var x = Enumerable.Range(0, rows.RowCount).Select(r => rows["x"].GetValue(r)).OfType<double>().ToList();
            Assert.Equal(Number(expected, "cx"), x.Count);
            Assert.Equal(Number(expected, "sx"), x.Sum(), 6);
            Assert.Equal(Number(expected, "ln"), Enumerable.Range(0, rows.RowCount).Sum(r => ((string)rows["name"].GetValue(r)!).Length));
            Assert.Equal(Number(expected, "v3"), Enumerable.Range(0, rows.RowCount).Sum(r => (double)((Columns.VectorColumn)rows["v"]).Row(r)[2]), 3);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>DuckDB's JSON writes large integers as strings.</summary>
    private static double Number(System.Text.Json.JsonElement row, string name) =>
        row.GetProperty(name) is var value && value.ValueKind == System.Text.Json.JsonValueKind.String
            ? double.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            : value.GetDouble();

    [Theory]
    [InlineData("[]", "the file is empty; there are no JSON records to import")]
    [InlineData("[\n{\"a\": 1},\n{\"a\": 2}\n", "line 4: the array is not closed: the file ends after 2 element(s)")]
    [InlineData("[{\"a\": 1}] x", "line 1: the file goes on after the array's closing ']'")]
    [InlineData("[{\"a\": 1} {\"a\": 2}]", "line 1: expected ',' or ']' after element 1 of the array")]
    [InlineData("[{\"a\": 1}, {\"a\": 2}\n\n  \"b\"]", "line 3: expected ',' or ']' after element 2 of the array")]
    [InlineData("[{\"a\": 1},\n\n 7]", "line 3")]
    [InlineData("[{\"a\": \"x}]", "the array is not closed: the file ends inside element 1")]
    [InlineData("[{\"a\": {\"b\": 1}}]", "key 'a': nested objects are not supported")]
    public void AMalformedArrayFailsNamingWhere(string text, string message)
    {
        var error = Assert.Throws<DataFormatException>(() =>
        {
            using var reader = Open(Encoding.UTF8.GetBytes(text));
            ReadAll(reader);
        });
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
