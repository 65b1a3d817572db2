using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansMl.Datasets;
using OrleansMl.Storage.Artifacts;
using OrleansMl.Testing;

namespace OrleansMl.Grains.Tests.Datasets;

/// <summary>Three in-process silos on one local data directory, with a user-defined transform registered in every silo.</summary>
public sealed class DatasetClusterFixture : IAsyncLifetime
{
    private LocalCluster _local = null!;

    public string DataDirectory => _local.DataDirectory;

    /// <summary>The data directory's <c>imports</c> folder: server-path imports may read it by default.</summary>
    public string FilesDirectory => Path.Combine(DataDirectory, "imports");

    public InProcessTestCluster Cluster => _local.Cluster;

    public IGrainFactory Grains => Cluster.Client;

    public IArtifactStore Store => Cluster.Silos[0].ServiceProvider.GetRequiredService<IArtifactStore>();

    public async Task InitializeAsync()
    {
        _local = await LocalCluster.StartAsync(
            silos: 3,
            options => options.Datasets.ImportRoots = [FashionMnist.DatasetDirectory],
            silo => silo.Services.AddPartitionTransform<SquareTransform>().AddPartitionTransform<GateTransform>().AddTorchNetwork<Experiments.TanhNetwork>());
        Directory.CreateDirectory(FilesDirectory);
    }

    public async Task DisposeAsync() => await _local.DisposeAsync();

    /// <summary>Writes a CSV of <paramref name="rows"/> rows: id (int), x (float), group (a|b|c), flag (bool), note (text).</summary>
    public string WriteCsv(int rows, string? name = null)
    {
        var path = Path.Combine(FilesDirectory, name ?? $"{Guid.NewGuid():N}.csv");
        var text = new StringBuilder("id,x,group,flag,note\n");
        for (var i = 0; i < rows; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i},{i * 0.5},{"abc"[i % 3]},{(i % 2 == 0 ? "true" : "false")},note {i}\n");
        }

        File.WriteAllText(path, text.ToString());
        return path;
    }

    public async Task<(IDatasetGrain Grain, DatasetOperation Operation)> ImportAsync(string dataset, ImportRequest request)
    {
        var grain = Grains.GetGrain<IDatasetGrain>(dataset);
        var started = await grain.StartImportAsync(request);
        return (grain, await WaitAsync(grain, started));
    }

    public static async Task<DatasetOperation> WaitAsync(IDatasetGrain grain, DatasetOperation started)
    {
        var operation = await grain.WaitUntilFinishedAsync(started.Id, TimeSpan.FromMinutes(3));
        Assert.NotNull(operation);
        Assert.True(operation.IsFinished, $"operation {operation.Id} still {operation.State} after 3 minutes");
        return operation;
    }

    public static string NewName() => "ds-" + Guid.NewGuid().ToString("N")[..10];
}

[CollectionDefinition(Name)]
public sealed class DatasetClusterCollection : ICollectionFixture<DatasetClusterFixture>
{
    public const string Name = "Dataset cluster";
}
