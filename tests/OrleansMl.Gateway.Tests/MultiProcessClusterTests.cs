using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansMl.Gateway.Security;
using OrleansMl.Testing;

namespace OrleansMl.Gateway.Tests;

/// <summary>
/// The scale-out layout for real: two silo processes and a gateway process forming one cluster
/// through Azure Table membership on Azurite, with grain state and artifacts in Azure Blob, and
/// mutual TLS with one cluster certificate on every silo-to-silo and client-to-silo connection.
/// </summary>
public sealed class MultiProcessClusterTests : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private readonly List<PlatformProcess> _processes = [];
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("orleansml-tls-");

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TwoSiloProcessesAndAGatewayProcessServeGrainCallsAndPredictionsOverHttp()
    {
        var server = await _azurite.GetServerAsync();
        var unique = Guid.NewGuid().ToString("N")[..8];
        var ports = FreePorts.Take(7);
        using var certificate = ClusterCertificate.Create(_directory.FullName, "orleansml-cluster", out var certificatePath, out var password);
        string[] shared =
        [
            "--OrleansMl:Tls:CertificatePath=" + certificatePath,
            "--OrleansMl:Tls:CertificatePassword=" + password,
            "--OrleansMl:ClusterId=ci" + unique,
            "--OrleansMl:Storage:Mode=AzureStorage",
            "--OrleansMl:Storage:ConnectionString=" + server.ConnectionString,
            "--OrleansMl:Storage:ClusteringTable=Silos" + unique,
            "--OrleansMl:Storage:GrainStateContainer=state" + unique,
            "--OrleansMl:Storage:ArtifactContainer=artifacts" + unique,
            "--Logging:LogLevel:Default=Warning",
        ];
        for (var i = 0; i < 2; i++)
        {
            _processes.Add(new PlatformProcess($"silo{i}", [.. shared, "--role", "silo", $"--OrleansMl:SiloPort={ports[i * 3]}", $"--OrleansMl:GatewayPort={ports[(i * 3) + 1]}", "--urls", $"http://127.0.0.1:{ports[(i * 3) + 2]}"]));
        }

        var gateway = new Uri($"http://127.0.0.1:{ports[6]}");
        _processes.Add(new PlatformProcess("gateway", [
            .. shared, "--role", "gateway", "--urls", gateway.ToString(), .. TestApiKey.Arguments(new TestApiKey("ci", TestKeys.Admin, GatewayRole.Admin))]));
        using var client = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", TestKeys.Admin);

        await WaitUntilAsync(client, "/health/ready", r => r.StatusCode == HttpStatusCode.OK);
        await WaitUntilAsync(client, "/v1/cluster", r => r.IsSuccessStatusCode && r.Content.ReadFromJsonAsync<JsonElement>().Result.GetProperty("silos").GetArrayLength() == 2);
        (await client.PutAsJsonAsync("/v1/workspaces/multi", new { description = "through the gateway process" })).EnsureSuccessStatusCode();
        (await client.PutAsync("/v1/artifacts/multi/hello.txt", new StringContent("hello from blob"))).EnsureSuccessStatusCode();

        var workspace = await client.GetFromJsonAsync<JsonElement>("/v1/workspaces/multi");
        Assert.Equal("through the gateway process", workspace.GetProperty("description").GetString());
        Assert.Equal("hello from blob", await client.GetStringAsync("/v1/artifacts/multi/hello.txt"));
        var silos = (await client.GetFromJsonAsync<JsonElement>("/v1/cluster")).GetProperty("silos").EnumerateArray().Select(s => s.GetProperty("address").GetString()).ToList();
        Assert.Equal(2, silos.Distinct().Count());

        // Serving across processes: the model from Azure Blob, predictors on the silos, called by the gateway process as an Orleans client.
        (await client.PutAsync("/v1/artifacts/multi/model.zip", new ByteArrayContent(Serving.TestModels.MlNetZip()))).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/v1/models/multi/versions", new { artifact = "multi/model.zip", flavor = "mlnet" })).EnsureSuccessStatusCode();
        (await client.PutAsJsonAsync("/v1/endpoints/multi", new { targets = new[] { new { model = "multi", version = 1 } } })).EnsureSuccessStatusCode();
        var predicted = await (await client.PostAsync("/v1/endpoints/multi/predict",
            new StringContent("""{"records":[{"Features":[0.2,0.5]},{"Features":[10.3,0.4]}]}""", System.Text.Encoding.UTF8, "application/json")))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([0L, 1L], predicted.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("label").GetInt64()));
        var inferred = await (await client.PostAsync("/v2/models/multi/infer",
            new StringContent("""{"inputs":[{"name":"Features","shape":[1,2],"datatype":"FP32","data":[10.3,0.4]}]}""", System.Text.Encoding.UTF8, "application/json")))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, inferred.GetProperty("outputs")[0].GetProperty("data")[0].GetInt64());

        // The silos' ports speak TLS and present the cluster certificate; a certificate of anyone else is turned away.
        Assert.Equal((certificate.Thumbprint, true), await ClusterCertificate.HandshakeAsync(ports[1], certificate)); // a silo's gateway port
        Assert.Equal((certificate.Thumbprint, true), await ClusterCertificate.HandshakeAsync(ports[3], certificate)); // a silo's silo-to-silo port
        using var stranger = ClusterCertificate.Create(_directory.FullName, "orleansml-cluster", out _, out _);
        Assert.False((await ClusterCertificate.HandshakeAsync(ports[1], stranger)).KeptOpen);
    }

    public async Task DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            process.Dispose();
        }

        await _azurite.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    private async Task WaitUntilAsync(HttpClient client, string path, Func<HttpResponseMessage, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        string last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (_processes.Find(p => p.HasExited) is { } exited)
            {
                Assert.Fail($"{exited.Name} exited early:\n{exited.Output}");
            }

            try
            {
                using var response = await client.GetAsync(path);
                if (done(response))
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"{path} did not become ready in 120 s; last answer: {last}\n" + string.Join("\n", _processes.Select(p => $"--- {p.Name}\n{p.Output}")));
    }
}
