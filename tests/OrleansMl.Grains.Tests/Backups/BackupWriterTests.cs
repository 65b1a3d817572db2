using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using OrleansMl.Backups;
using OrleansMl.Datasets;
using OrleansMl.Grains.Tests.Datasets;
using OrleansMl.Storage.Artifacts;
using OrleansMl.Storage.FileSystem;
using OrleansMl.Testing;

namespace OrleansMl.Grains.Tests.Backups;

/// <summary>
/// A backup taken while the platform changes is still consistent: a dataset version deleted and
/// another created while the files are being copied end up in the backup as the dataset's state
/// lists them, every file of every listed version present and none of the deleted one.
/// </summary>
public sealed class BackupWriterTests : IAsyncLifetime
{
    private LocalCluster _local = null!;
    private readonly DirectoryInfo _target = Directory.CreateTempSubdirectory("orleansml-backup-writer-");

    private IServiceProvider Silo => _local.Cluster.Silos[0].ServiceProvider;

    public async Task InitializeAsync() => _local = await LocalCluster.StartAsync(silos: 1);

    public async Task DisposeAsync()
    {
        await _local.DisposeAsync();
        _target.Delete(recursive: true);
        Directory.Delete(_target.FullName + ".tmp", recursive: true);
    }

    [Fact]
    public async Task VersionsDeletedAndCreatedDuringTheCopyAreCapturedAsTheStateListsThem()
    {
        var grains = _local.Cluster.Client;
        var name = DatasetClusterFixture.NewName();
        var path = Path.Combine(_local.DataDirectory, "imports", $"{name}.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, string.Concat(Enumerable.Range(0, 2_000).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i},{i * 0.5}\n")).Prepend("id,x\n")));
        var dataset = grains.GetGrain<IDatasetGrain>(name);
        await DatasetClusterFixture.WaitAsync(dataset, await dataset.StartImportAsync(new ImportRequest(new DatasetSource(path), Options: new ImportOptions(Partitions: 2))));
        await TransformAsync(dataset, from: 1, output: "y"); // version 2

        // The first time the backup reads a file of version 1, version 1 is deleted and version 3 made.
        var store = new RacingStore(Silo.GetRequiredService<IArtifactStore>(), $"datasets/{name}/v1/", async () =>
        {
            await dataset.DeleteVersionAsync(1);
            await TransformAsync(dataset, from: 2, output: "z");
        });
        var target = new FileSystemArtifactStore(_target.FullName);
        var serializer = Silo.GetRequiredService<Serializer>();
        var progress = new BackupProgress("test", BackupJob.Backup, new BackupLocation(_target.FullName), "test", DateTimeOffset.UtcNow);

        await new BackupWriter(grains, serializer, store, target, progress, TimeProvider.System).RunAsync("test", CancellationToken.None);

        Assert.True(store.Raced);
        Assert.Empty(progress.Changed);
        await using var stateFile = await target.OpenReadAsync(BackupManifest.StatePath("datasets", name));
        using var bytes = new MemoryStream();
        await stateFile.CopyToAsync(bytes);
        var state = serializer.Deserialize<DatasetState>(bytes.ToArray())!;
        Assert.Equal([2, 3], state.Versions.Select(v => v.Version));
        Assert.Empty(await ListAsync(target, $"files/datasets/{name}/v1/"));
        foreach (var version in state.Versions)
        {
            var files = await ListAsync(target, $"files/datasets/{name}/v{version.Version}/");
            Assert.Contains($"files/{DatasetPaths.Manifest(name, version.Version)}", files);
            Assert.Equal(2, files.Count(f => f.EndsWith(".parquet", StringComparison.Ordinal)));
        }

        var manifest = await BackupManifest.ReadAsync(target, CancellationToken.None);
        Assert.Contains(name, manifest!.Datasets);
    }

    private static async Task TransformAsync(IDatasetGrain dataset, int from, string output) =>
        Assert.Equal(DatasetOperation.Succeeded, (await DatasetClusterFixture.WaitAsync(dataset,
            await dataset.StartTransformAsync(new TransformRequest([new TransformStep("derive", Output: output, Expression: "x + 1")], Version: from)))).State);

    private static async Task<List<string>> ListAsync(IArtifactStore store, string prefix)
    {
        var paths = new List<string>();
        await foreach (var file in store.ListAsync(prefix))
        {
            paths.Add(file.Path);
        }

        return paths;
    }

    /// <summary>The silo's store, running <paramref name="race"/> once before the first read under <paramref name="prefix"/>.</summary>
    private sealed class RacingStore(IArtifactStore inner, string prefix, Func<Task> race) : IArtifactStore
    {
        private int _raced;

        public bool Raced => _raced == 1;

        public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default)
        {
            if (path.StartsWith(prefix, StringComparison.Ordinal) && Interlocked.Exchange(ref _raced, 1) == 0)
            {
                await race();
            }

            return await inner.OpenReadAsync(path, cancellationToken);
        }

        public Task<ArtifactInfo> WriteAsync(string path, Stream content, ArtifactWriteCondition condition = default, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(path, content, condition, cancellationToken);

        public Task<ArtifactInfo?> GetInfoAsync(string path, CancellationToken cancellationToken = default) => inner.GetInfoAsync(path, cancellationToken);

        public IAsyncEnumerable<ArtifactInfo> ListAsync(string prefix = "", CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

        public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken = default) => inner.DeleteAsync(path, cancellationToken);
    }
}
