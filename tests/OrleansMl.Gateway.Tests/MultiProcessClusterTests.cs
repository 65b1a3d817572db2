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
    private ProcessCluster? _cluster;

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TwoSiloProcessesAndAGatewayProcessServeGrainCallsAndPredictionsOverHttp()
    {
        _cluster = await ProcessCluster.StartAsync(await _azurite.GetServerAsync(), silos: 2);
        var client = _cluster.Admin;
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

        // A backup into a blob container of the same account, written by a silo process; a restore needs an empty platform.
        var container = "backup-" + Guid.NewGuid().ToString("N")[..12];
        var backup = await (await client.PostAsJsonAsync("/v1/admin/backups?wait=60", new { container })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("succeeded", backup.GetProperty("status").GetString());
        Assert.True(backup.GetProperty("files").GetInt64() >= 2, backup.GetRawText()); // the model's zip and the user's file at least
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/v1/admin/restores", new { container })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/v1/admin/backups", new { container = "Not_A_Container" })).StatusCode);

        // The silos' ports speak TLS and present the cluster certificate; a certificate of anyone else is turned away.
        var (ports, certificate) = (_cluster.Ports, _cluster.Certificate);
        Assert.Equal((certificate.Thumbprint, true), await ClusterCertificate.HandshakeAsync(ports[1], certificate)); // a silo's gateway port
        Assert.Equal((certificate.Thumbprint, true), await ClusterCertificate.HandshakeAsync(ports[3], certificate)); // a silo's silo-to-silo port
        using var stranger = ClusterCertificate.Create(_cluster.ImportDirectory, "orleansml-cluster", out _, out _);
        Assert.False((await ClusterCertificate.HandshakeAsync(ports[1], stranger)).KeptOpen);
    }

    public async Task DisposeAsync()
    {
        _cluster?.Dispose();
        await _azurite.DisposeAsync();
    }
}
