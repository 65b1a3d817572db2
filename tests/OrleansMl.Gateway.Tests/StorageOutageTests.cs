using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansMl.Testing;

namespace OrleansMl.Gateway.Tests;

/// <summary>
/// Storage stops answering (Azurite paused with SIGSTOP: connections open, nothing comes back) under
/// the embedded platform in Azure storage mode: a transform asked for with <c>wait=5</c> is answered
/// 503 with Retry-After within its wait instead of after minutes of storage retries, readiness says
/// unready, predictions go on being answered, and once storage is back the same request succeeds and
/// the dataset is whole.
/// </summary>
public sealed class StorageOutageTests : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private readonly string _data = Directory.CreateTempSubdirectory("orleansml-outage-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task WithStoragePausedAStartIsAnswered503WithinItsWaitAndSucceedsOnceStorageIsBack()
    {
        var server = await _azurite.GetServerAsync();
        var unique = Guid.NewGuid().ToString("N")[..8];
        await using var platform = await EmbeddedPlatform.StartAsync(_data, TestKeys.Configuration(),
            ("OrleansMl:Storage:Mode", "AzureStorage"),
            ("OrleansMl:Storage:ConnectionString", server.ConnectionString),
            ("OrleansMl:Storage:ClusteringTable", "Silos" + unique),
            ("OrleansMl:Storage:GrainStateContainer", "state" + unique),
            ("OrleansMl:Storage:ArtifactContainer", "artifacts" + unique),
            ("OrleansMl:ClusterId", "outage" + unique));
        using var client = platform.CreateClient(TestKeys.Scientist);
        var csv = new StringBuilder("id,x\n");
        for (var i = 0; i < 500; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{i},{i * 0.5}\n");
        }

        (await client.PostAsync("/v1/datasets/outage/uploads?fileName=x.csv&wait=60", new StringContent(csv.ToString()))).EnsureSuccessStatusCode();
        var transform = new { steps = new[] { new { op = "derive", output = "y", expression = "x + 1" } } };
        using var admin = platform.CreateClient(TestKeys.Admin);
        (await admin.PutAsync("/v1/artifacts/outage/model.zip", new ByteArrayContent(Serving.TestModels.MlNetZip()))).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/v1/models/outage/versions", new { artifact = "outage/model.zip", flavor = "mlnet" })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/v1/endpoints/outage", new { targets = new[] { new { model = "outage", version = 1 } } })).EnsureSuccessStatusCode();
        const string Records = """{"records":[{"Features":[0.2,0.5]},{"Features":[10.3,0.4]}]}""";
        (await client.PostAsync("/v1/endpoints/outage/predict", new StringContent(Records, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        server.Pause();
        HttpResponseMessage refused;
        TimeSpan took;
        HttpStatusCode ready;
        var served = new List<HttpStatusCode>();
        try
        {
            // Serving needs no storage once the model is loaded: it goes on while storage is away.
            for (var i = 0; i < 20; i++)
            {
                served.Add((await client.PostAsync("/v1/endpoints/outage/predict", new StringContent(Records, Encoding.UTF8, "application/json"))).StatusCode);
            }

            var watch = Stopwatch.StartNew();
            refused = await client.PostAsJsonAsync("/v1/datasets/outage/transforms?wait=5", transform);
            took = watch.Elapsed;
            ready = (await client.GetAsync("/health/ready")).StatusCode;
        }
        finally
        {
            server.Resume();
        }

        Assert.All(served, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Contains("not recorded within 5 s", await refused.Content.ReadAsStringAsync());
        Assert.True(took < TimeSpan.FromSeconds(15), $"answered after {took}"); // the deadline is 5 s; without it, storage retries hold the request for minutes
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);

        // Storage is back: the same request goes through (after any 503s while the breaker is open), and every version reads whole.
        JsonElement done = default;
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var response = await client.PostAsJsonAsync("/v1/datasets/outage/transforms?wait=30", transform);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                done = await response.Content.ReadFromJsonAsync<JsonElement>();
                break;
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            await Task.Delay(TimeSpan.FromSeconds(3));
        }

        Assert.Equal("succeeded", done.GetProperty("state").GetString());
        var dataset = await client.GetFromJsonAsync<JsonElement>("/v1/datasets/outage");
        foreach (var version in dataset.GetProperty("versions").EnumerateArray())
        {
            var head = await client.GetFromJsonAsync<JsonElement>($"/v1/datasets/outage/versions/{version.GetProperty("version").GetInt32()}/head?rows=3");
            Assert.Equal(3, head.GetProperty("rows").GetArrayLength());
        }
    }

    public async Task DisposeAsync()
    {
        await _azurite.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}
