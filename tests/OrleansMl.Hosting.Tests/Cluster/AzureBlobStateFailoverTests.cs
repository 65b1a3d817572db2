using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Placement;
using Orleans.TestingHost;
using OrleansMl.Hosting.Options;
using OrleansMl.Testing;
using OrleansMl.Workspaces;

namespace OrleansMl.Hosting.Tests.Cluster;

/// <summary>State kept in Azure Blob (on Azurite) outlives the silo that wrote it.</summary>
public sealed class AzureBlobStateFailoverTests : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private InProcessTestCluster _cluster = null!;
    private OrleansMlOptions _options = null!;

    public async Task InitializeAsync()
    {
        var server = await _azurite.GetServerAsync();
        _options = new OrleansMlOptions
        {
            Storage = new OrleansMlStorageOptions
            {
                Mode = StorageMode.AzureStorage,
                ConnectionString = server.ConnectionString,
                GrainStateContainer = "state" + Guid.NewGuid().ToString("N")[..8],
            },
        };
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddOrleansMlStorage(_options);
            silo.Services.DeclareDeadSilosQuickly();
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    [Fact]
    public async Task StateWrittenOnASiloThatDiesIsServedByAnother()
    {
        var victim = _cluster.Silos[2];
        var name = "ws-" + Guid.NewGuid().ToString("N")[..12];
        RequestContext.Set(IPlacementDirector.PlacementHintKey, victim.SiloAddress);
        var grain = _cluster.Client.GetGrain<IWorkspaceGrain>(name);
        await grain.UpsertAsync(new WorkspaceUpdate("written before the crash", new Dictionary<string, string> { ["run"] = "42" }));
        RequestContext.Clear();
        Assert.Equal(victim.SiloAddress, await _cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(grain));

        await _cluster.KillSiloAsync(victim);
        await _cluster.WaitForLivenessToStabilizeAsync(didKill: true);
        var survived = await grain.GetAsync();

        Assert.NotNull(survived);
        Assert.Equal("written before the crash", survived.Description);
        Assert.Equal("42", survived.Tags["run"]);
        Assert.NotEqual(victim.SiloAddress, await _cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(grain));
        var container = new BlobServiceClient(_options.Storage.ConnectionString).GetBlobContainerClient(_options.Storage.GrainStateContainer);
        var blobs = new List<string>();
        await foreach (var blob in container.GetBlobsAsync())
        {
            blobs.Add(blob.Name);
        }

        Assert.Contains(blobs, b => b.Contains(name, StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _azurite.DisposeAsync();
    }
}
