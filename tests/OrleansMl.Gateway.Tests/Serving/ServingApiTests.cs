using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Gateway.Tests.Serving;

[Collection(EmbeddedPlatformCollection.Name)]
public sealed class ServingApiTests(EmbeddedPlatformFixture platform)
{
    private static string NewName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>A model with two versions trained on two blobs (label 0 near (0,0), label 1 near (10,10)): 1 logistic regression, 2 k-NN.</summary>
    private async Task<string> ModelAsync()
    {
        var random = new Random(3);
        var lines = new StringBuilder();
        for (var i = 0; i < 300; i++)
        {
            var label = i % 2;
            lines.Append(System.Globalization.CultureInfo.InvariantCulture,
                $$"""{"features":[{{(label * 10) + random.NextDouble()}},{{(label * 10) + random.NextDouble()}}],"label":{{label}}}""").Append('\n');
        }

        var dataset = NewName("blobs");
        (await platform.Scientist.PostAsync($"/v1/datasets/{dataset}/uploads?fileName=blobs.jsonl&wait=60", new StringContent(lines.ToString()))).EnsureSuccessStatusCode();
        var model = NewName("model");
        foreach (var trainer in new[] { "logistic_regression", "knn" })
        {
            var experiment = NewName("exp");
            var spec = new { train = new { name = dataset }, labelColumn = "label", featureColumn = "features", task = "multiclass", trainer };
            var started = await (await platform.Scientist.PutAsJsonAsync($"/v1/experiments/{experiment}?wait=120", spec)).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("succeeded", started.GetProperty("state").GetString());
            (await platform.Scientist.PostAsJsonAsync($"/v1/models/{model}/versions", new { experiment, run = 0 })).EnsureSuccessStatusCode();
        }

        return model;
    }

    private async Task<JsonElement> DeployAsync(string endpoint, object spec)
    {
        var response = await platform.Admin.PutAsJsonAsync($"/v1/endpoints/{endpoint}", spec);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static readonly string TwoRecords = """{"records":[{"features":[0.2,0.4],"id":"a"},{"features":[10.1,9.8]}]}""";

    [Fact]
    public async Task A_dry_run_shows_the_next_revision_with_aliases_resolved_and_changes_nothing()
    {
        var model = await ModelAsync();
        (await platform.Admin.PutAsJsonAsync($"/v1/models/{model}/aliases/production", new { version = 2 })).EnsureSuccessStatusCode();
        var endpoint = NewName("ep");
        await DeployAsync(endpoint, new { targets = new[] { new { model, version = 1 } } });

        var previewed = await platform.Admin.PutAsJsonAsync($"/v1/endpoints/{endpoint}?dryRun=true",
            new { targets = new object[] { new { model, version = 1, weight = 90 }, new { model, alias = "production", weight = 10 } } });
        Assert.Equal(HttpStatusCode.OK, previewed.StatusCode);
        var preview = await previewed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, preview.GetProperty("revision").GetInt32());
        Assert.Equal([(1, 90, "linear"), (2, 10, "knn")],
            preview.GetProperty("routes").EnumerateArray().Select(r => (r.GetProperty("version").GetInt32(), r.GetProperty("weight").GetInt32(), r.GetProperty("flavor").GetString())));

        // Nothing changed: the same revision, routes and history.
        var now = await platform.Reader.GetFromJsonAsync<JsonElement>($"/v1/endpoints/{endpoint}");
        Assert.Equal(1, now.GetProperty("revision").GetInt32());
        Assert.Equal(1, now.GetProperty("routes").GetArrayLength());
        Assert.Equal(1, (await platform.Reader.GetFromJsonAsync<JsonElement>($"/v1/endpoints/{endpoint}/history")).GetArrayLength());

        // Checked as an update is, and admins only.
        var unknown = await (await platform.Admin.PutAsJsonAsync($"/v1/endpoints/{endpoint}?dryRun=true", new { targets = new[] { new { model, version = 7 } } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("targets[0]", unknown.GetProperty("errors").EnumerateObject().Single().Name, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await platform.Scientist.PutAsJsonAsync($"/v1/endpoints/{endpoint}?dryRun=true", new { targets = new[] { new { model, version = 1 } } })).StatusCode);
        var another = NewName("ep"); // a dry run does not create an endpoint either
        Assert.Equal(HttpStatusCode.OK, (await platform.Admin.PutAsJsonAsync($"/v1/endpoints/{another}?dryRun=true", new { targets = new[] { new { model, version = 1 } } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await platform.Reader.GetAsync($"/v1/endpoints/{another}")).StatusCode);
    }

    [Fact]
    public async Task PredictAndInferAnswerWithTheVersionThatServed()
    {
        var model = await ModelAsync();
        var endpoint = NewName("ep");
        Assert.Equal(HttpStatusCode.Forbidden, (await platform.Scientist.PutAsJsonAsync($"/v1/endpoints/{endpoint}", new { targets = new[] { new { model, version = 1 } } })).StatusCode);
        var deployed = await DeployAsync(endpoint, new { targets = new[] { new { model, version = 1 } } });
        Assert.Equal(1, deployed.GetProperty("revision").GetInt32());

        var predicted = await (await platform.Reader.PostAsync($"/v1/endpoints/{endpoint}/predict", Json(TwoRecords))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((model, 1), (predicted.GetProperty("model").GetString(), predicted.GetProperty("version").GetInt32()));
        var rows = predicted.GetProperty("predictions");
        Assert.Equal([0L, 1L], rows.EnumerateArray().Select(r => r.GetProperty("label").GetInt64()));
        Assert.Equal(2, rows[0].GetProperty("scores").GetArrayLength());
        Assert.True(rows[1].GetProperty("scores")[1].GetSingle() > 0.9f);

        // The Open Inference Protocol's published request example, with this model's one FP32 input in place of its two.
        var infer = """
            {
              "id" : "42",
              "inputs" : [
                {
                  "name" : "features",
                  "shape" : [ 2, 2 ],
                  "datatype" : "FP32",
                  "data" : [ [ 0.2, 0.4 ], [ 10.1, 9.8 ] ]
                }
              ],
              "outputs" : [
                {
                  "name" : "label"
                }
              ]
            }
            """;
        var inferred = await (await platform.Reader.PostAsync($"/v2/models/{endpoint}/infer", Json(infer))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((endpoint, "1", "42"), (inferred.GetProperty("model_name").GetString(), inferred.GetProperty("model_version").GetString(), inferred.GetProperty("id").GetString()));
        var output = Assert.Single(inferred.GetProperty("outputs").EnumerateArray());
        Assert.Equal(("label", "INT64"), (output.GetProperty("name").GetString(), output.GetProperty("datatype").GetString()));
        Assert.Equal([2], output.GetProperty("shape").EnumerateArray().Select(s => s.GetInt32()));
        Assert.Equal([0L, 1L], output.GetProperty("data").EnumerateArray().Select(d => d.GetInt64()));

        var metadata = await platform.Reader.GetFromJsonAsync<JsonElement>($"/v2/models/{endpoint}");
        Assert.Equal(("orleansml_linear", "1"), (metadata.GetProperty("platform").GetString(), metadata.GetProperty("versions")[0].GetString()));
        Assert.Equal("""{"name":"features","datatype":"FP32","shape":[-1,2]}""", metadata.GetProperty("inputs")[0].GetRawText());
        Assert.Equal("""{"name":"scores","datatype":"FP32","shape":[-1,2]}""", metadata.GetProperty("outputs")[1].GetRawText());
        Assert.True((await platform.Reader.GetFromJsonAsync<JsonElement>($"/v2/models/{endpoint}/ready")).GetProperty("ready").GetBoolean());
        Assert.True((await platform.Anonymous.GetFromJsonAsync<JsonElement>("/v2/health/live")).GetProperty("live").GetBoolean());
        Assert.True((await platform.Anonymous.GetFromJsonAsync<JsonElement>("/v2/health/ready")).GetProperty("ready").GetBoolean());
        Assert.Contains(endpoint, (await platform.Reader.GetFromJsonAsync<string[]>("/v1/endpoints"))!);
    }

    [Fact]
    public async Task BadRequestsNameTheFieldAndTheExpectedType()
    {
        var model = await ModelAsync();
        var endpoint = NewName("ep");
        await DeployAsync(endpoint, new { targets = new[] { new { model, version = 1 } } });

        var width = await (await platform.Reader.PostAsync($"/v1/endpoints/{endpoint}/predict", Json("""{"records":[{"features":[1,2]},{"features":[1,2,3]}]}""")))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("expected a list of 2 numbers, found 3", width.ErrorsFor("records[1].features")[0], StringComparison.Ordinal);
        var text = await (await platform.Reader.PostAsync($"/v1/endpoints/{endpoint}/predict", Json("""{"records":[{"features":[1,"x"]}]}"""))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("expected a number, found a string", text.ErrorsFor("records[0].features[1]")[0], StringComparison.Ordinal);
        var missing = await (await platform.Reader.PostAsync($"/v1/endpoints/{endpoint}/predict", Json("""{"records":[{"pixels":[1,2]}]}"""))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("missing", missing.ErrorsFor("records[0].features")[0], StringComparison.Ordinal);
        await (await platform.Reader.PostAsync($"/v1/endpoints/{endpoint}/predict", Json("{\"records\": ["))).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await platform.Reader.PostAsync("/v1/endpoints/no-such-endpoint/predict", Json(TwoRecords))).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.Anonymous.PostAsync($"/v1/endpoints/{endpoint}/predict", Json(TwoRecords))).StatusCode);

        var datatype = await (await platform.Reader.PostAsync($"/v2/models/{endpoint}/infer",
            Json("""{"inputs":[{"name":"features","shape":[1,2],"datatype":"BYTES","data":["a","b"]}]}"""))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("expected FP32", datatype.ErrorsFor("inputs[0].datatype")[0], StringComparison.Ordinal);
        Assert.Contains("expected FP32", datatype.GetProperty("error").GetString(), StringComparison.Ordinal);
        var shape = await (await platform.Reader.PostAsync($"/v2/models/{endpoint}/infer",
            Json("""{"inputs":[{"name":"features","shape":[2,2],"datatype":"FP32","data":[1,2,3]}]}"""))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("needs 4 numbers; found 3", shape.ErrorsFor("inputs[0].data")[0], StringComparison.Ordinal);
        await (await platform.Reader.PostAsync($"/v2/models/{endpoint}/versions/9/infer", Json(TwoRecords))).AssertProblemAsync(HttpStatusCode.NotFound);

        var targets = await (await platform.Admin.PutAsJsonAsync($"/v1/endpoints/{endpoint}", new { targets = new[] { new { model, version = 1, weight = 0 } } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(targets.ErrorsFor("targets[0].weight"));
        var document = await platform.Anonymous.GetStringAsync("/openapi/v1.json");
        foreach (var path in new[] { "/v1/endpoints/{name}/predict", "/v1/endpoints/{name}/history", "/v2/models/{name}/infer", "/v2/models/{name}/versions/{version}/ready", "/v2/health/live" })
        {
            Assert.Contains($"\"{path}\"", document, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SwappingVersionsUnderLoadDropsNoRequest()
    {
        var model = await ModelAsync();
        var endpoint = NewName("ep");
        await DeployAsync(endpoint, new { targets = new[] { new { model, version = 1 } } });
        using var stop = new CancellationTokenSource();
        var versions = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var senders = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await platform.Reader.PostAsync($"/v1/endpoints/{endpoint}/predict", Json(TwoRecords));
                if (!response.IsSuccessStatusCode)
                {
                    failures.Enqueue($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    continue;
                }

                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                versions.AddOrUpdate(body.GetProperty("version").GetInt32(), 1, (_, n) => n + 1);
            }
        })).ToList();

        await WaitForAsync(() => versions.GetValueOrDefault(1) >= 50);
        await DeployAsync(endpoint, new { targets = new[] { new { model, version = 2 } } }); // a full swap
        await WaitForAsync(() => versions.GetValueOrDefault(2) >= 50);
        await DeployAsync(endpoint, new { targets = new[] { new { model, version = 1, weight = 50 }, new { model, version = 2, weight = 50 } } });
        var before = versions.GetValueOrDefault(1);
        await WaitForAsync(() => versions.GetValueOrDefault(1) >= before + 50);
        await DeployAsync(endpoint, new { targets = new[] { new { model, version = 1 } } });
        await Task.Delay(300);
        await stop.CancelAsync();
        await Task.WhenAll(senders);

        Assert.Empty(failures);
        Assert.True(versions.Values.Sum() > 200, $"only {versions.Values.Sum()} requests");
        var history = await platform.Reader.GetFromJsonAsync<JsonElement>($"/v1/endpoints/{endpoint}/history");
        Assert.Equal(4, history.GetArrayLength());
    }

    [Fact]
    public async Task CanaryWeightsSplitTrafficAndTheShadowIsLoggedButNeverReturned()
    {
        var model = await ModelAsync();
        var endpoint = NewName("ep");
        await DeployAsync(endpoint, new
        {
            targets = new object[] { new { model, version = 1, weight = 3 }, new { model, version = 2, weight = 1 } },
            shadow = new { model, version = 2 },
            logSampleRate = 1.0,
        });
        const int requests = 400;
        var canary = 0;
        for (var i = 0; i < requests; i++)
        {
            var body = await (await platform.Reader.PostAsync($"/v1/endpoints/{endpoint}/predict", Json(TwoRecords))).Content.ReadFromJsonAsync<JsonElement>();
            canary += body.GetProperty("version").GetInt32() == 2 ? 1 : 0;
        }

        Assert.InRange(canary, requests * 0.15, requests * 0.35); // weight 1 of 4; 4.5 standard deviations either side

        var lines = new List<JsonElement>();
        await WaitForAsync(async () =>
        {
            lines.Clear();
            var files = await platform.Reader.GetFromJsonAsync<JsonElement>($"/v1/artifacts?prefix=endpoints/{endpoint}/predictions/");
            foreach (var file in files.EnumerateArray())
            {
                var text = await platform.Reader.GetStringAsync($"/v1/artifacts/{file.GetProperty("path").GetString()}");
                lines.AddRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement));
            }

            return lines.Count >= 2 * requests;
        });
        var shadows = lines.Where(l => l.GetProperty("kind").GetString() == "shadow").ToList();
        var samples = lines.Where(l => l.GetProperty("kind").GetString() == "sample").ToList();
        Assert.Equal((requests, requests), (shadows.Count, samples.Count));
        Assert.All(shadows, s => Assert.Equal(2, s.GetProperty("shadow").GetProperty("version").GetInt32()));
        Assert.Equal(4, samples[0].GetProperty("features").GetArrayLength());
    }

    [Fact]
    public async Task KeysLimitedToAnEndpointUseOnlyThatOne()
    {
        var model = await ModelAsync();
        var other = NewName("ep");
        await DeployAsync(TestKeys.AppEndpoint, new { targets = new[] { new { model, version = 1 } } });
        await DeployAsync(other, new { targets = new[] { new { model, version = 1 } } });

        Assert.Equal(HttpStatusCode.OK, (await platform.App.PostAsync($"/v1/endpoints/{TestKeys.AppEndpoint}/predict", Json(TwoRecords))).StatusCode);
        await (await platform.App.PostAsync($"/v1/endpoints/{other}/predict", Json(TwoRecords))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await platform.App.PostAsync($"/v2/models/{other}/infer", Json(TwoRecords))).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal([TestKeys.AppEndpoint], (await platform.App.GetFromJsonAsync<string[]>("/v1/endpoints"))!);
    }

    [Fact]
    public async Task AModelThatFailsToLoadAnswers503WithTheReason()
    {
        var artifact = $"uploads/tests/{Guid.NewGuid():N}/model.zip";
        (await platform.Scientist.PutAsync($"/v1/artifacts/{artifact}", new ByteArrayContent(TestModels.MlNetZip()))).EnsureSuccessStatusCode();
        var model = NewName("imported");
        var registered = await (await platform.Scientist.PostAsJsonAsync($"/v1/models/{model}/versions", new { artifact, flavor = "mlnet" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("""[{"name":"Features","type":"vector","vectorLength":2}]""", registered.GetProperty("inputs").GetRawText());
        var endpoint = NewName("ep");
        await DeployAsync(endpoint, new { targets = new[] { new { model, version = 1 } } });
        var request = """{"records":[{"Features":[0.1,0.2]}]}""";
        Assert.Equal(HttpStatusCode.OK, (await platform.Reader.PostAsync($"/v1/endpoints/{endpoint}/predict", Json(request))).StatusCode);

        // The registry's copy is damaged after deployment; once the idle model is unloaded, loading it again fails.
        // The artifact API refuses writes there, so the test damages it in the store.
        await platform.Services.GetRequiredService<IArtifactStore>().WriteAsync(registered.GetProperty("artifactPath").GetString()!, new MemoryStream("not a zip"u8.ToArray()));
        await Task.Delay(EmbeddedPlatformFixture.IdleUnload * 2);

        var response = await platform.Reader.PostAsync($"/v1/endpoints/{endpoint}/predict", Json(request));
        Assert.NotNull(response.Headers.RetryAfter);
        var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("failed to load", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var ready = await platform.Reader.GetAsync($"/v2/models/{endpoint}/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.False((await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ready").GetBoolean());
    }

    private static Task WaitForAsync(Func<bool> condition) => WaitForAsync(() => Task.FromResult(condition()));

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not come true within 60 s.");
            await Task.Delay(50);
        }
    }
}
