using Orleans.TestingHost;
using OrleansMl.Hosting.Options;

namespace OrleansMl.Testing;

/// <summary>In-process silos sharing one temporary local data directory, which dispose deletes.</summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private LocalCluster(string dataDirectory, InProcessTestCluster cluster)
    {
        DataDirectory = dataDirectory;
        Cluster = cluster;
    }

    public string DataDirectory { get; }

    public InProcessTestCluster Cluster { get; }

    /// <param name="configure">Changes the options every silo gets, after the data directory is set.</param>
    /// <param name="configureSilo">Further silo configuration, after the platform's storage and services.</param>
    public static async Task<LocalCluster> StartAsync(int silos, Action<OrleansMlOptions>? configure = null, Action<ISiloBuilder>? configureSilo = null)
    {
        var directory = Directory.CreateTempSubdirectory("orleansml-cluster-").FullName;
        var options = new OrleansMlOptions { DataDirectory = directory };
        configure?.Invoke(options);
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddOrleansMlStorage(options);
            configureSilo?.Invoke(silo);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new LocalCluster(directory, cluster);
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
