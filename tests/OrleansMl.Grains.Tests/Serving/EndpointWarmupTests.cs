using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansMl.Models;
using OrleansMl.Serving;
using OrleansMl.Storage.Artifacts;
using OrleansMl.Testing;

namespace OrleansMl.Grains.Tests.Serving;

/// <summary>A silo that joins after an endpoint update loads the endpoint's versions as it starts, before any request reaches it.</summary>
public sealed class EndpointWarmupTests : IAsyncLifetime
{
    private LocalCluster _local = null!;

    public async Task InitializeAsync() => _local = await LocalCluster.StartAsync(silos: 2);

    public async Task DisposeAsync() => await _local.DisposeAsync();

    [Fact]
    public async Task ASiloThatJoinsLaterLoadsEveryEndpointVersionAsItStarts()
    {
        var grains = _local.Cluster.Client;
        var store = _local.Cluster.Silos[0].ServiceProvider.GetRequiredService<IArtifactStore>();
        var model = grains.GetGrain<IModelGrain>("warm");
        await model.RegisterAsync(new ModelSource(Artifact: await ServingTests.MlNetZipAsync(store, dimension: 2), Flavor: "mlnet"), "ana");
        await model.RegisterAsync(new ModelSource(Artifact: await ServingTests.MlNetZipAsync(store, dimension: 2), Flavor: "mlnet"), "ana");
        await grains.GetGrain<IEndpointGrain>("warm-endpoint").SetAsync(
            new EndpointSpec([new EndpointTarget("warm", Version: 1)], Shadow: new EndpointTarget("warm", Version: 2)), "admin");

        var joined = await _local.Cluster.StartAdditionalSiloAsync();
        await joined.ServiceProvider.GetRequiredService<EndpointWarmup>().Warming.WaitAsync(TimeSpan.FromMinutes(1));

        var cache = joined.ServiceProvider.GetRequiredService<PredictorCache>();
        Assert.True(cache.IsLoaded(IPredictorGrain.KeyOf("warm", 1)), "the route's version is not loaded on the new silo");
        Assert.True(cache.IsLoaded(IPredictorGrain.KeyOf("warm", 2)), "the shadow's version is not loaded on the new silo");
    }
}
