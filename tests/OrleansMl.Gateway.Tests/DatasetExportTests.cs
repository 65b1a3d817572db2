using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansMl.Testing;

namespace OrleansMl.Gateway.Tests;

/// <summary>A version exported as one file, read back by DuckDB (an independent reader) and by the platform's own import.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class DatasetExportTests(EmbeddedPlatformFixture platform)
{
    private const int Rows = 3_000;

    private static string NewName() => "ds-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>3 partitions of id, x, text that needs quoting (commas, quotes, line breaks, accents, edge spaces, empty → null), when, flag, and a vector.</summary>
    private async Task<string> DatasetAsync()
    {
        var lines = new StringBuilder();
        for (var i = 0; i < Rows; i++)
        {
            var text = (i % 5) switch
            {
                0 => "plain",
                1 => "with, comma",
                2 => "say \"hi\"",
                3 => "line\nbreak é",
                _ => " edge ",
            };
            var note = i % 7 == 0 ? "null" : JsonSerializer.Serialize(text);
            lines.Append(CultureInfo.InvariantCulture,
                $$"""{"id":{{i}},"x":{{i * 0.1}},"note":{{note}},"when":"2024-03-{{1 + (i % 28):D2}}T12:30:00Z","flag":{{(i % 2 == 0 ? "true" : "false")}},"v":[{{i}},{{-i * 0.5}}]}""").Append('\n');
        }

        var name = NewName();
        var response = await platform.Scientist.PostAsync($"/v1/datasets/{name}/uploads?fileName=data.jsonl&partitions=3&wait=60", new StringContent(lines.ToString()));
        Assert.Equal("succeeded", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        return name;
    }

    private async Task<string> ExportAsync(string name, string format)
    {
        var response = await platform.Reader.GetAsync($"/v1/datasets/{name}/versions/latest/export?format={format}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"{name}-v1.", response.Content.Headers.ContentDisposition?.ToString());
        var path = Path.Combine(Path.GetTempPath(), $"{name}.{format}");
        await using (var file = File.Create(path))
        {
            await response.Content.CopyToAsync(file);
        }

        return path;
    }

    [Theory]
    [InlineData("csv", "read_csv({0}, header = true, auto_detect = true)")]
    [InlineData("parquet", "read_parquet({0})")]
    [InlineData("jsonl", "read_json({0}, format = 'newline_delimited')")]
    public async Task AVersionExportsAsOneFileThatDuckDbReadsBack(string format, string reader)
    {
        var name = await DatasetAsync();
        var path = await ExportAsync(name, format);
        try
        {
            var from = string.Format(CultureInfo.InvariantCulture, reader, DuckDb.Quote(path));
            var totals = (await DuckDb.QueryAsync(
                $"SELECT count(*) AS n, sum(id) AS ids, round(sum(x), 6) AS xs, count(note) AS notes, " +
                $"count(*) FILTER (WHERE note = 'say \"hi\"') AS quoted, count(*) FILTER (WHERE note = 'line\nbreak é') AS broken, " +
                $"count(*) FILTER (WHERE note = ' edge ') AS edges, count(*) FILTER (WHERE flag) AS flags FROM {from}"))[0];

            var notes = Enumerable.Range(0, Rows).Count(i => i % 7 != 0);
            // DuckDB's JSON gives big integers as strings.
            long Count(string name) => long.Parse(totals.GetProperty(name).ToString(), CultureInfo.InvariantCulture);
            Assert.Equal(Rows, Count("n"));
            Assert.Equal((long)Rows * (Rows - 1) / 2, Count("ids"));
            Assert.Equal(Math.Round(Enumerable.Range(0, Rows).Sum(i => i * 0.1), 6), double.Parse(totals.GetProperty("xs").ToString(), CultureInfo.InvariantCulture), 6);
            Assert.Equal(notes, Count("notes"));
            Assert.Equal(Enumerable.Range(0, Rows).Count(i => i % 5 == 2 && i % 7 != 0), Count("quoted"));
            Assert.Equal(Enumerable.Range(0, Rows).Count(i => i % 5 == 3 && i % 7 != 0), Count("broken"));
            Assert.Equal(Enumerable.Range(0, Rows).Count(i => i % 5 == 4 && i % 7 != 0), Count("edges"));
            Assert.Equal(Rows / 2, Count("flags"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task AnExportedCsvImportsBackToTheSameRows()
    {
        var name = await DatasetAsync();
        var path = await ExportAsync(name, "csv");
        var again = NewName();
        var response = await platform.Scientist.PostAsync($"/v1/datasets/{again}/uploads?fileName=again.csv&wait=60", new StreamContent(File.OpenRead(path)));
        File.Delete(path);
        Assert.Equal("succeeded", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());

        var original = await platform.Reader.GetFromJsonAsync<JsonElement>($"/v1/datasets/{name}/versions/1/head?rows=20");
        var copy = await platform.Reader.GetFromJsonAsync<JsonElement>($"/v1/datasets/{again}/versions/1/head?rows=20");
        foreach (var column in new[] { "id", "x", "note", "flag" })
        {
            Assert.Equal(
                original.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty(column).ToString()),
                copy.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty(column).ToString()));
        }
    }

    [Fact]
    public async Task ABadFormatOrAMissingVersionIsAProblem()
    {
        var name = await DatasetAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await platform.Reader.GetAsync($"/v1/datasets/{name}/versions/1/export?format=xlsx")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await platform.Reader.GetAsync($"/v1/datasets/{name}/versions/9/export")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.Anonymous.GetAsync($"/v1/datasets/{name}/versions/1/export")).StatusCode);
    }
}
