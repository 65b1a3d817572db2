using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace OrleansMl.Gateway.Tests;

[Collection(EmbeddedPlatformCollection.Name)]
public sealed class SqlApiTests(EmbeddedPlatformFixture platform)
{
    private static string NewName() => "sql-" + Guid.NewGuid().ToString("N")[..10];

    private async Task<string> UploadAsync(int rows)
    {
        var name = NewName();
        var text = new StringBuilder("id,x,label\n");
        for (var i = 0; i < rows; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i},{i * 0.25},{(i % 3 == 0 ? "fizz" : "other")}\n");
        }

        (await platform.Scientist.PostAsync($"/v1/datasets/{name}/uploads?fileName=data.csv&partitions=3&wait=60", new StringContent(text.ToString()))).EnsureSuccessStatusCode();
        return name;
    }

    [Fact]
    public async Task AReaderQueriesADatasetOverHttp()
    {
        var name = await UploadAsync(3_000);

        var response = await platform.Reader.PostAsJsonAsync("/v1/sql", new { query = $"SELECT label, count(*) AS n, sum(x) AS total FROM \"{name}\" GROUP BY label ORDER BY n DESC" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["label:categorical", "n:int64", "total:float64"], body.GetProperty("columns").EnumerateArray().Select(c => $"{c.GetProperty("name").GetString()}:{c.GetProperty("type").GetString()}"));
        var rows = body.GetProperty("rows");
        Assert.Equal(("other", 2_000L), (rows[0].GetProperty("label").GetString(), rows[0].GetProperty("n").GetInt64()));
        Assert.Equal(("fizz", 1_000L), (rows[1].GetProperty("label").GetString(), rows[1].GetProperty("n").GetInt64()));
        Assert.Equal(Enumerable.Range(0, 3_000).Where(i => i % 3 == 0).Sum(i => i * 0.25), rows[1].GetProperty("total").GetDouble(), 9);
        Assert.Equal((2, false, name, 1, 3), (body.GetProperty("rowCount").GetInt32(), body.GetProperty("truncated").GetBoolean(), body.GetProperty("dataset").GetString(), body.GetProperty("version").GetInt32(), body.GetProperty("partitions").GetInt32()));
    }

    [Fact]
    public async Task ALargeAnswerIsCutAtMaxRowsAndSaysSo()
    {
        var name = await UploadAsync(500);

        var body = await (await platform.Reader.PostAsJsonAsync("/v1/sql", new { query = $"SELECT id FROM \"{name}\" ORDER BY id", maxRows = 7 })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(body.GetProperty("truncated").GetBoolean());
        Assert.Equal(Enumerable.Range(0, 7), body.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("id").GetInt32()));
    }

    [Fact]
    public async Task AWrongQueryIsA400ThatPointsAtTheMistake()
    {
        var name = await UploadAsync(10);

        var response = await platform.Reader.PostAsJsonAsync("/v1/sql", new { query = $"SELECT id, labl FROM \"{name}\"" });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = problem.GetProperty("errors").GetProperty("query")[0].GetString();
        Assert.Contains("Unknown column 'labl'", message, StringComparison.Ordinal);
        Assert.Contains("label", message, StringComparison.Ordinal); // the suggestion
        Assert.Equal(HttpStatusCode.BadRequest, (await platform.Reader.PostAsJsonAsync("/v1/sql", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await platform.Reader.PostAsJsonAsync("/v1/sql", new { query = $"SELECT id FROM \"{name}\"", maxRows = 1_000_000 })).StatusCode);
    }

    [Fact]
    public async Task PagesOfAKeptResultAreReadByIdAndDeleted()
    {
        var name = await UploadAsync(2_500);
        var id = "pages-" + name;

        var first = await (await platform.Reader.PostAsJsonAsync("/v1/sql", new { query = $"SELECT id FROM \"{name}\" ORDER BY id", maxRows = 1_000, id, pages = true })).Content.ReadFromJsonAsync<JsonElement>();
        var last = await platform.Reader.GetAsync($"/v1/sql/{id}/rows?offset=2000&limit=1000");
        var page = await last.Content.ReadFromJsonAsync<JsonElement>();
        var deleted = await platform.Reader.DeleteAsync($"/v1/sql/{id}");

        Assert.Equal((id, 2_500L, 1_000, true), (first.GetProperty("id").GetString(), first.GetProperty("totalRows").GetInt64(), first.GetProperty("rowCount").GetInt32(), first.GetProperty("truncated").GetBoolean()));
        Assert.Equal((500, false, 2_000L, 2_499L), (page.GetProperty("rowCount").GetInt32(), page.GetProperty("truncated").GetBoolean(), page.GetProperty("rows")[0].GetProperty("id").GetInt64(), page.GetProperty("rows")[499].GetProperty("id").GetInt64()));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await platform.Reader.GetAsync($"/v1/sql/{id}/rows")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await platform.Reader.DeleteAsync($"/v1/sql/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await platform.Reader.GetAsync($"/v1/sql/{id}/rows?offset=-1")).StatusCode);
    }

    [Fact]
    public async Task AScientistWritesAQueryAsADatasetVersionOrReadsAFileAndAReaderMayNot()
    {
        var name = await UploadAsync(600);
        var target = NewName();
        var query = new { query = $"SELECT id, x * 2 AS y, label FROM \"{name}\" WHERE label = 'fizz'" };

        var refused = await platform.Reader.PostAsJsonAsync($"/v1/sql?into={target}", query);
        var refusedCreate = await platform.Reader.PostAsJsonAsync("/v1/sql", new { query = $"  create dataset \"{target}\" AS SELECT id FROM \"{name}\"" });
        var written = await platform.Scientist.PostAsJsonAsync($"/v1/sql?into={target}", query);
        var body = await written.Content.ReadFromJsonAsync<JsonElement>();
        var created = await (await platform.Scientist.PostAsJsonAsync("/v1/sql", new { query = $"CREATE DATASET \"{target}\" AS SELECT label, count(*) AS n FROM \"{name}\" GROUP BY label" })).Content.ReadFromJsonAsync<JsonElement>();
        var version = await (await platform.Reader.GetAsync($"/v1/datasets/{target}")).Content.ReadFromJsonAsync<JsonElement>();

        var refusedFile = await platform.Reader.PostAsJsonAsync("/v1/sql", new { query = "SELECT * FROM (SELECT * FROM read_csv('/etc/hostname')) t" });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refusedCreate.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refusedFile.StatusCode);
        Assert.Equal(HttpStatusCode.OK, written.StatusCode);
        Assert.Equal((target, 1, 200L, 0), (body.GetProperty("dataset").GetString(), body.GetProperty("version").GetInt32(), body.GetProperty("written").GetInt64(), body.GetProperty("rowCount").GetInt32()));
        Assert.Equal([$"{name}@1"], body.GetProperty("reads").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal((2, 2L), (created.GetProperty("version").GetInt32(), created.GetProperty("written").GetInt64()));
        var first = version.GetProperty("versions")[0];
        Assert.Equal(200, first.GetProperty("rowCount").GetInt64());
        Assert.Equal(("sql", name, 1), (first.GetProperty("lineage").GetProperty("operation").GetString(), first.GetProperty("lineage").GetProperty("parentDataset").GetString(), first.GetProperty("lineage").GetProperty("parentVersion").GetInt32()));
        Assert.Contains("x * 2 AS y", first.GetProperty("lineage").GetProperty("source").GetString(), StringComparison.Ordinal);
        var check = await (await platform.Reader.PostAsJsonAsync("/v1/sql", new { query = $"SELECT count(*) AS n, sum(y) AS s FROM \"{target}\"@1" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(200, check.GetProperty("rows")[0].GetProperty("n").GetInt64());
        Assert.Equal(Enumerable.Range(0, 600).Where(i => i % 3 == 0).Sum(i => i * 0.5), check.GetProperty("rows")[0].GetProperty("s").GetDouble(), 9);
    }

    [Fact]
    public async Task AJsonFileHoldingOneArrayUploadsAndQueries()
    {
        var name = NewName();
        var json = "[\n" + string.Join(",\n", Enumerable.Range(0, 50).Select(i => $$"""  { "id": {{i}}, "city": "{{(i % 2 == 0 ? "Oslo" : "Lima")}}", "temp": {{i * 0.5}} }""")) + "\n]\n";

        var upload = await (await platform.Scientist.PostAsync($"/v1/datasets/{name}/uploads?fileName=weather.json&wait=60", new StringContent(json))).Content.ReadFromJsonAsync<JsonElement>();
        var body = await (await platform.Reader.PostAsJsonAsync("/v1/sql", new { query = $"SELECT city, count(*) AS n, max(temp) AS hi FROM \"{name}\" GROUP BY city ORDER BY city" })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("succeeded", upload.GetProperty("state").GetString());
        Assert.Equal(["Lima 25 24.5", "Oslo 25 24"], body.GetProperty("rows").EnumerateArray().Select(r => $"{r.GetProperty("city").GetString()} {r.GetProperty("n").GetInt64()} {r.GetProperty("hi").GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
    }

    [Fact]
    public async Task AnonymousCallersAreRefused() =>
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.Anonymous.PostAsJsonAsync("/v1/sql", new { query = "SELECT 1 FROM x" })).StatusCode);
}
