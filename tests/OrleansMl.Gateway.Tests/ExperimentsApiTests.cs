using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace OrleansMl.Gateway.Tests;

[Collection(EmbeddedPlatformCollection.Name)]
public sealed class ExperimentsApiTests(EmbeddedPlatformFixture platform)
{
    private static string NewName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Two well-separated blobs in 2-D as JSON lines: label 0 near (0,0), label 1 near (10,10).</summary>
    private async Task<string> UploadBlobsAsync()
    {
        var random = new Random(3);
        var lines = new StringBuilder();
        for (var i = 0; i < 400; i++)
        {
            var label = i % 2;
            lines.Append(System.Globalization.CultureInfo.InvariantCulture,
                $$"""{"features":[{{(label * 10) + random.NextDouble()}},{{(label * 10) + random.NextDouble()}}],"label":{{label}}}""").Append('\n');
        }

        var name = NewName("blobs");
        (await platform.Scientist.PostAsync($"/v1/datasets/{name}/uploads?fileName=blobs.jsonl&wait=60", new StringContent(lines.ToString()))).EnsureSuccessStatusCode();
        return name;
    }

    [Fact]
    public async Task A_versions_lineage_graph_shows_its_source_parent_and_what_was_derived_trained_and_registered_from_it()
    {
        var dataset = await UploadBlobsAsync(); // v1, imported from blobs.jsonl
        (await platform.Scientist.PostAsJsonAsync($"/v1/datasets/{dataset}/transforms?wait=60",
            new { steps = new object[] { new { op = "filter", expression = "label >= 0" } } })).EnsureSuccessStatusCode(); // v2
        var counts = NewName("counts");
        (await platform.Scientist.PostAsJsonAsync("/v1/sql", new { query = $"CREATE DATASET \"{counts}\" AS SELECT label, count(*) AS n FROM \"{dataset}\" GROUP BY label" })).EnsureSuccessStatusCode();
        var experiment = NewName("exp");
        var spec = new { train = new { name = dataset }, labelColumn = "label", featureColumn = "features", task = "multiclass", trainer = "knn", maxRuns = 1 };
        Assert.Equal(HttpStatusCode.Accepted, (await platform.Scientist.PutAsJsonAsync($"/v1/experiments/{experiment}?wait=120", spec)).StatusCode);
        var model = NewName("model");
        Assert.Equal(HttpStatusCode.Created, (await platform.Scientist.PostAsJsonAsync($"/v1/models/{model}/versions", new { experiment, run = 0 })).StatusCode);

        // Uses reach a dataset by one-way calls: wait until the model (the last) is there.
        var root = $"dataset:{dataset}@2";
        var train = $"dataset:{experiment}-train@1";
        var modelNode = $"model:{model}@1";
        JsonElement graph = default;
        for (var attempt = 0; attempt < 50 && !Ids(graph).Contains(modelNode); attempt++)
        {
            await Task.Delay(attempt == 0 ? 0 : 200);
            graph = await platform.Reader.GetFromJsonAsync<JsonElement>($"/v1/datasets/{dataset}/versions/2/lineage");
        }

        Assert.Equal(root, graph.GetProperty("root").GetString());
        var levels = graph.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("id").GetString()!, n => n.GetProperty("level").GetInt32());
        Assert.Equal(
            new Dictionary<string, int>
            {
                [$"source:{dataset}@1"] = -2, [$"dataset:{dataset}@1"] = -1, [root] = 0,
                [$"dataset:{counts}@1"] = 1, [$"experiment:{experiment}"] = 1, [train] = 1, [$"dataset:{experiment}-test@1"] = 1, [modelNode] = 2,
            },
            levels);
        var edges = graph.GetProperty("edges").EnumerateArray().Select(e => (e.GetProperty("from").GetString(), e.GetProperty("to").GetString(), e.GetProperty("label").GetString())).ToList();
        Assert.Contains(($"source:{dataset}@1", $"dataset:{dataset}@1", "import"), edges);
        Assert.Contains(($"dataset:{dataset}@1", root, "transform"), edges);
        Assert.Contains((root, $"dataset:{counts}@1", "sql"), edges);
        Assert.Contains((root, $"experiment:{experiment}", "experiment"), edges);
        Assert.Contains((root, train, "split"), edges);
        Assert.Contains((train, modelNode, "trained"), edges);
        Assert.Contains("blobs.jsonl", graph.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("kind").GetString() == "source").GetProperty("name").GetString(), StringComparison.Ordinal);

        // One step each way: the parent and what used the version directly, not the model trained on the split.
        var near = await platform.Reader.GetFromJsonAsync<JsonElement>($"/v1/datasets/{dataset}/versions/2/lineage?depth=1");
        Assert.DoesNotContain(modelNode, Ids(near));
        Assert.DoesNotContain($"source:{dataset}@1", Ids(near));
        await (await platform.Reader.GetAsync($"/v1/datasets/{dataset}/versions/2/lineage?depth=0")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NotFound, (await platform.Reader.GetAsync($"/v1/datasets/{dataset}/versions/9/lineage")).StatusCode);

        static HashSet<string> Ids(JsonElement graph) => graph.ValueKind == JsonValueKind.Object
            ? [.. graph.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()!)]
            : [];
    }

    [Fact]
    public async Task AnExperimentRunsOverHttpAndItsRunsCanBeListedComparedAndWatched()
    {
        var dataset = await UploadBlobsAsync();
        var name = NewName("exp");
        var spec = new
        {
            train = new { name = dataset },
            labelColumn = "label",
            featureColumn = "features",
            task = "multiclass",
            trainer = "knn",
            searchSpace = new { k = new { values = new[] { "1", "3", "5" } } },
            strategy = "grid",
            maxRuns = 3,
        };
        var response = await platform.Scientist.PutAsJsonAsync($"/v1/experiments/{name}?wait=120", spec);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var info = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("succeeded", info.GetProperty("state").GetString());
        Assert.Equal(1.0, info.GetProperty("best").GetProperty("metrics").GetProperty("accuracy").GetDouble());

        var runs = await platform.Reader.GetFromJsonAsync<JsonElement>($"/v1/experiments/{name}/runs?sortBy=accuracy");
        Assert.Equal(3, runs.GetArrayLength());
        var compare = await platform.Reader.GetFromJsonAsync<JsonElement>($"/v1/experiments/{name}/compare?runs=0,2");
        Assert.Equal("1", compare[0].GetProperty("summary").GetProperty("params").GetProperty("k").GetString());
        Assert.Equal("5", compare[1].GetProperty("summary").GetProperty("params").GetProperty("k").GetString());

        var history = await platform.Reader.GetStringAsync($"/v1/runs/{name}/1/metrics");
        Assert.Contains("\"accuracy\"", history, StringComparison.Ordinal);

        // The experiment has ended, so the stream replays every run and closes.
        var events = await platform.Reader.GetStringAsync($"/v1/experiments/{name}/watch");
        Assert.Equal(3, events.Split("event: run", StringSplitOptions.None).Length - 1);

        Assert.Contains(name, (await platform.Reader.GetFromJsonAsync<string[]>("/v1/experiments"))!);

        // The best run goes into the registry; only an admin key may point an alias at it.
        var model = NewName("model");
        var registered = await platform.Scientist.PostAsJsonAsync($"/v1/models/{model}/versions", new { experiment = name, run = 0 });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        Assert.Equal("knn", (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("flavor").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await platform.Scientist.PutAsJsonAsync($"/v1/models/{model}/aliases/production", new { version = 1 })).StatusCode);
        var aliased = await (await platform.Admin.PutAsJsonAsync($"/v1/models/{model}/aliases/production", new { version = 1 })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, aliased.GetProperty("aliases").GetProperty("production").GetInt32());
        Assert.False(string.IsNullOrEmpty(aliased.GetProperty("history")[0].GetProperty("by").GetString()));
        var unknown = await (await platform.Admin.PutAsJsonAsync($"/v1/models/{model}/aliases/staging", new { version = 9 })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("no version 9", unknown.ErrorsFor("version")[0], StringComparison.Ordinal);
        Assert.Contains(model, (await platform.Reader.GetFromJsonAsync<string[]>("/v1/models"))!);
    }

    [Fact]
    public async Task AnInvalidSpecIs400NamingTheField()
    {
        var dataset = await UploadBlobsAsync();
        var problem = await (await platform.Scientist.PutAsJsonAsync($"/v1/experiments/{NewName("bad")}", new
        {
            train = new { name = dataset },
            labelColumn = "label",
            featureColumn = "features",
            task = "multiclass",
            trainer = "alchemy",
        })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Trainers: knn", problem.ErrorsFor("trainer")[0], StringComparison.Ordinal);
        await (await platform.Reader.GetAsync($"/v1/experiments/{NewName("none")}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnEmptyOrIncompleteSpecIs400NamingTheMissingField()
    {
        var empty = await (await platform.Scientist.PutAsync($"/v1/experiments/{NewName("empty")}", new StringContent("{}", Encoding.UTF8, "application/json")))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("train", empty.ErrorsFor("train")[0], StringComparison.Ordinal);

        var noLabel = await (await platform.Scientist.PutAsJsonAsync($"/v1/experiments/{NewName("nolabel")}", new
        {
            train = new { name = "anything" }, featureColumn = "features", task = "multiclass", trainer = "knn",
        })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("labelColumn is required.", noLabel.ErrorsFor("labelColumn")[0]);
    }

    [Fact]
    public async Task TheSameSpecAgainAnswersTheExperimentAndAnotherSpecIs409()
    {
        var dataset = await UploadBlobsAsync();
        var name = NewName("again");
        object Spec(string k) => new
        {
            train = new { name = dataset }, labelColumn = "label", featureColumn = "features", task = "multiclass", trainer = "knn",
            @params = new Dictionary<string, string> { ["k"] = k },
        };
        var first = await platform.Scientist.PutAsJsonAsync($"/v1/experiments/{name}?wait=120", Spec("3"));
        first.EnsureSuccessStatusCode();

        var same = await platform.Scientist.PutAsJsonAsync($"/v1/experiments/{name}", Spec("3"));
        var other = await platform.Scientist.PutAsJsonAsync($"/v1/experiments/{name}", Spec("5"));

        Assert.True(same.IsSuccessStatusCode, $"the same spec again answered {same.StatusCode}");
        var conflict = await other.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("another spec", conflict.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANameTooLongForItsOwnSplitIs400BeforeAnythingStarts()
    {
        var dataset = await UploadBlobsAsync();
        var name = "long-" + new string('x', 55); // 60 characters: valid, but "{name}-train" would not be
        var problem = await (await platform.Scientist.PutAsJsonAsync($"/v1/experiments/{name}", new
        {
            train = new { name = dataset }, labelColumn = "label", featureColumn = "features", task = "multiclass", trainer = "knn",
        })).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("at most 58 characters", problem.ErrorsFor("name")[0], StringComparison.Ordinal);
        await (await platform.Reader.GetAsync($"/v1/experiments/{name}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
