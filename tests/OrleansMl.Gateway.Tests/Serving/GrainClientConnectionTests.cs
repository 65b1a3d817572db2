using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansMl.GrainClient;
using OrleansMl.Models;
using OrleansMl.Serving;

namespace OrleansMl.Gateway.Tests.Serving;

/// <summary><c>AddOrleansMlClient</c> in a service of its own, connecting to the running platform as an Orleans client.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class GrainClientConnectionTests(EmbeddedPlatformFixture platform)
{
    [Fact]
    public async Task AServiceWithAddOrleansMlClientDeploysAndPredictsThroughGrains()
    {
        var artifact = $"uploads/tests/{Guid.NewGuid():N}/model.zip";
        (await platform.Scientist.PutAsync($"/v1/artifacts/{artifact}", new ByteArrayContent(TestModels.MlNetZip()))).EnsureSuccessStatusCode();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection([new("OrleansMl:GatewayPort", platform.GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        builder.Services.AddOrleansMlClient(builder.Configuration);
        using var service = builder.Build();
        await service.StartAsync();

        var client = service.Services.GetRequiredService<OrleansMlGrainClient>();
        var name = "grain-client-" + Guid.NewGuid().ToString("N")[..8];
        var version = await client.Grains.GetGrain<IModelGrain>(name).RegisterAsync(new ModelSource(Artifact: artifact, Flavor: "mlnet"), "service");
        await client.DeployAsync(name, new EndpointSpec([new EndpointTarget(name, Version: version.Version)]), "service");
        var prediction = await client.PredictAsync(name, [0.2f, 0.5f, 10.3f, 0.4f], rows: 2);

        Assert.Equal([0L, 1L], prediction.Labels);
        var overHttp = await (await platform.Reader.PostAsync($"/v1/endpoints/{name}/predict", new StringContent("""{"records":[{"Features":[10.3,0.4]}]}""", System.Text.Encoding.UTF8, "application/json")))
            .Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(1, overHttp.GetProperty("predictions")[0].GetProperty("label").GetInt64()); // the same endpoint, seen by the gateway
        await service.StopAsync();
    }
}
