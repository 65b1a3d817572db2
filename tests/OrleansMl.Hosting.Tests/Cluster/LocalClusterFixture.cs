using Orleans.TestingHost;
using OrleansMl.Testing;

namespace OrleansMl.Hosting.Tests.Cluster;

/// <summary>Three in-process silos sharing one local data directory: the embedded storage under a multi-silo cluster.</summary>
public sealed class LocalClusterFixture : IAsyncLifetime
{
    private LocalCluster _local = null!;

    public string DataDirectory => _local.DataDirectory;

    public InProcessTestCluster Cluster => _local.Cluster;

    public async Task InitializeAsync() => _local = await LocalCluster.StartAsync(silos: 3);

    public async Task DisposeAsync() => await _local.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class LocalClusterCollection : ICollectionFixture<LocalClusterFixture>
{
    public const string Name = "Local cluster";
}
