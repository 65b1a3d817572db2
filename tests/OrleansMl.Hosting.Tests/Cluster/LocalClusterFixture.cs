using Orleans.TestingHost;
using OrleansMl.Hosting.Options;

namespace OrleansMl.Hosting.Tests.Cluster;

/// <summary>Three in-process silos sharing one local data directory: the embedded storage under a multi-silo cluster.</summary>
public sealed class LocalClusterFixture : IAsyncLifetime
{
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("orleansml-cluster-").FullName;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var options = new OrleansMlOptions { DataDirectory = DataDirectory };
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureSilo((_, silo) => silo.AddOrleansMlStorage(options));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class LocalClusterCollection : ICollectionFixture<LocalClusterFixture>
{
    public const string Name = "Local cluster";
}
