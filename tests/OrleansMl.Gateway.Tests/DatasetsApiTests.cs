using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansMl.Testing;

namespace OrleansMl.Gateway.Tests;

[Collection(EmbeddedPlatformCollection.Name)]
public sealed class DatasetsApiTests(EmbeddedPlatformFixture platform)
{
    private static string NewName() => "ds-" + Guid.NewGuid().ToString("N")[..10];

    private static StreamContent Csv(int rows)
    {
        var text = new StringBuilder("id,x,label\n");
        for (var i = 0; i < rows; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i},{i * 0.25},{(i % 2 == 0 ? "even" : "odd")}\n");
        }

        // A non-seekable body: the gateway must stream it, not buffer it.
        return new StreamContent(new NonSeekableStream(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()))));
    }

    [Fact]
    public async Task AStreamedUploadIsImportedDescribedAndPreviewed()
    {
        var name = NewName();
        var response = await platform.Scientist.PostAsync($"/v1/datasets/{name}/uploads?fileName=data.csv&partitions=2&wait=60", Csv(5_000));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var operation = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("succeeded", operation.GetProperty("state").GetString());
        Assert.Equal($"/v1/datasets/{name}/operations/{operation.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);

        var dataset = await platform.Reader.GetFromJsonAsync<JsonElement>($"/v1/datasets/{name}");
        var version = dataset.GetProperty("versions")[0];
        Assert.Equal(5_000, version.GetProperty("rowCount").GetInt64());
        Assert.Equal(2, version.GetProperty("partitionRows").GetArrayLength());

        var describe = await platform.Reader.GetFromJsonAsync<JsonElement>($"/v1/datasets/{name}/versions/latest/describe");
        var x = describe.GetProperty("columns")[1];
        Assert.Equal("x", x.GetProperty("name").GetString());
        Assert.Equal(Enumerable.Range(0, 5000).Average(i => i * 0.25), x.GetProperty("mean").GetDouble(), 6);

        var head = await platform.Reader.GetFromJsonAsync<JsonElement>($"/v1/datasets/{name}/versions/1/head?rows=3");
        Assert.Equal(3, head.GetProperty("rows").GetArrayLength());
        Assert.Equal("even", head.GetProperty("rows")[0].GetProperty("label").GetString());

        var list = await platform.Reader.GetFromJsonAsync<string[]>("/v1/datasets");
        Assert.Contains(name, list!);
    }

    [Fact]
    public async Task ATransformThroughHttpCreatesVersionTwo()
    {
        var name = NewName();
        (await platform.Scientist.PostAsync($"/v1/datasets/{name}/uploads?fileName=data.csv&wait=60", Csv(1_000))).EnsureSuccessStatusCode();
        var response = await platform.Scientist.PostAsJsonAsync($"/v1/datasets/{name}/transforms?wait=60", new
        {
            steps = new object[] { new { op = "filter", expression = "label = 'odd'" }, new { op = "derive", output = "y", expression = "x * 4" } },
        });
        var operation = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("succeeded", operation.GetProperty("state").GetString());
        var version = await platform.Reader.GetFromJsonAsync<JsonElement>($"/v1/datasets/{name}/versions/2");
        Assert.Equal(500, version.GetProperty("rowCount").GetInt64());
        Assert.Equal("filter", version.GetProperty("lineage").GetProperty("steps")[0].GetProperty("op").GetString());
    }

    [Fact]
    public async Task BadRequestsGet400NamingTheField()
    {
        var name = NewName();
        var partitions = await (await platform.Scientist.PostAsJsonAsync($"/v1/datasets/{name}/imports", new { source = new { artifact = "uploads/x.csv" }, format = "csv", options = new { partitions = 0 } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("between 1 and 4096", partitions.ErrorsFor("options.partitions")[0], StringComparison.Ordinal);

        var format = await (await platform.Scientist.PostAsJsonAsync($"/v1/datasets/{name}/imports", new { source = new { artifact = "uploads/x.csv" }, format = "xls" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Formats: csv", format.ErrorsFor("format")[0], StringComparison.Ordinal);

        // A scientist key must not read arbitrary files of the server.
        var outside = await (await platform.Scientist.PostAsJsonAsync($"/v1/datasets/{name}/imports", new { source = new { path = "/etc/passwd" }, format = "csv" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("outside the folders imports may read", outside.ErrorsFor("source.path")[0], StringComparison.Ordinal);

        (await platform.Scientist.PostAsync($"/v1/datasets/{name}/uploads?fileName=data.csv&wait=60", Csv(10))).EnsureSuccessStatusCode();
        var expression = await (await platform.Scientist.PostAsJsonAsync($"/v1/datasets/{name}/transforms", new { steps = new[] { new { op = "filter", expression = "x > 'a' or" } } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("steps[0]:", expression.ErrorsFor("steps")[0], StringComparison.Ordinal);

        // Statistics and category lists come from the data, never from the request.
        var resolved = await (await platform.Scientist.PostAsJsonAsync($"/v1/datasets/{name}/transforms", new
        {
            steps = new object[] { new { op = "derive", output = "y", expression = "x * 2" }, new { op = "one_hot", column = "label", resolved = new Dictionary<string, string> { ["categories"] = "a" } } },
        })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("filled in by the platform", resolved.ErrorsFor("steps[1].resolved")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownDatasetsAndVersionsAre404()
    {
        await (await platform.Reader.GetAsync($"/v1/datasets/{NewName()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        var name = NewName();
        (await platform.Scientist.PostAsync($"/v1/datasets/{name}/uploads?fileName=data.csv&wait=60", Csv(10))).EnsureSuccessStatusCode();
        var problem = await (await platform.Reader.GetAsync($"/v1/datasets/{name}/versions/7/head")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("no version 7", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUploadOverTheLimitIs413AndCreatesNothing()
    {
        var name = NewName();
        var big = new StreamContent(new NonSeekableStream(new MemoryStream(new byte[EmbeddedPlatformFixture.MaxDatasetUploadBytes + 1024])));
        await (await platform.Scientist.PostAsync($"/v1/datasets/{name}/uploads?fileName=big.csv", big)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        await (await platform.Reader.GetAsync($"/v1/datasets/{name}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ReadersCannotImport()
    {
        var response = await platform.Reader.PostAsync($"/v1/datasets/{NewName()}/uploads?fileName=data.csv", Csv(1));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task TheOpenApiDocumentListsTheDatasetAndExperimentEndpoints()
    {
        var document = await platform.Reader.GetStringAsync("/openapi/v1.json");
        foreach (var path in new[]
        {
            "/v1/datasets/{name}/imports", "/v1/datasets/{name}/uploads", "/v1/datasets/{name}/versions/{version}/describe", "/v1/datasets/{name}/splits",
            "/v1/experiments/{name}", "/v1/experiments/{name}/runs", "/v1/experiments/{name}/watch", "/v1/runs/{experiment}/{index}/metrics",
        })
        {
            Assert.Contains($"\"{path}\"", document, StringComparison.Ordinal);
        }
    }
}
