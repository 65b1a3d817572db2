using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using OrleansMl.Datasets;
using OrleansMl.Grains.Tests.Serving;
using OrleansMl.Models;
using OrleansMl.Serving;
using OrleansMl.Storage.Artifacts;
using OrleansMl.Testing;

namespace OrleansMl.Grains.Tests.Datasets;

/// <summary>
/// A crash or a failed state write at the end of an operation leaves the previous state whole and
/// loses nothing finished: a version whose files and manifest were written is recorded by the
/// dataset's next activation, one without a manifest is removed, and a split becomes visible on both
/// sides or on neither; an endpoint whose update was not recorded keeps serving, and holding, what
/// it served. Faults come from a grain storage whose writes fail on demand, over the real local
/// files, on a two-silo cluster.
/// </summary>
public sealed class StateWriteFaultTests : IAsyncLifetime
{
    private LocalCluster _local = null!;

    private IGrainFactory Grains => _local.Cluster.Client;

    private IArtifactStore Store => _local.Cluster.Silos[0].ServiceProvider.GetRequiredService<IArtifactStore>();

    public async Task InitializeAsync() =>
        _local = await LocalCluster.StartAsync(silos: 2, configureSilo: silo => FaultyGrainStorage.Register(silo, GrainStorageNames.Metadata));

    public async Task DisposeAsync()
    {
        FaultyGrainStorage.FailWrites = null;
        await _local.DisposeAsync();
    }

    [Fact]
    public async Task AVersionWhoseLastStateWriteFailedIsRecordedFromItsManifest()
    {
        var (name, grain) = await ImportAsync(3_000);
        FailWrite(name, number: 2); // the transform's start is recorded, its end is not

        var operation = await TransformAsync(grain);
        var written = (await grain.GetAsync())!.Versions.Single(v => v.Version == 2);
        FaultyGrainStorage.FailWrites = null;
        var after = await ReactivateAsync(grain);

        Assert.Equal(operation.Id, after.Operations[0].Id);
        Assert.Equal(DatasetOperation.Succeeded, after.Operations[0].State);
        var recovered = after.Versions.Single(v => v.Version == 2);
        Assert.Equal((written.RowCount, written.Path, written.Lineage.Operation, written.Lineage.Steps.Single()), (recovered.RowCount, recovered.Path, recovered.Lineage.Operation, recovered.Lineage.Steps.Single()));
        Assert.Equal(written.PartitionRows, recovered.PartitionRows);
        Assert.Equal(written.Columns, recovered.Columns);
        Assert.Equal(5, (await grain.HeadAsync(2, 5)).RowCount);
    }

    [Fact]
    public async Task AnOperationInterruptedBeforeItsManifestIsRemovedAndTheVersionBeforeItStays()
    {
        var (name, grain) = await ImportAsync(3_000);
        FailWrite(name, number: 2);
        await TransformAsync(grain);
        await Store.DeleteAsync(DatasetPaths.Manifest(name, 2)); // as if the silo stopped before the manifest
        FaultyGrainStorage.FailWrites = null;

        var after = await ReactivateAsync(grain);

        Assert.Equal([1], after.Versions.Select(v => v.Version));
        Assert.Equal(DatasetOperation.Failed, after.Operations[0].State);
        Assert.Contains("interrupted", after.Operations[0].Error, StringComparison.Ordinal);
        Assert.Empty(await ListAsync(DatasetPaths.Version(name, 2)));
        Assert.Equal(3_000, (await grain.HeadAsync(1, 10_000)).RowCount);
    }

    [Fact]
    public async Task ASplitWhoseTestSideFailedToRecordIsFinishedOnBothSides()
    {
        var (name, grain) = await ImportAsync(4_000);
        FailWrite($"{name}-test", number: 2); // the test side's reservation is recorded, its new version is not

        var operation = await DatasetClusterFixture.WaitAsync(grain, await grain.StartSplitAsync(new SplitRequest(0.25)));
        Assert.Equal(DatasetOperation.Failed, operation.State);
        var train = Grains.GetGrain<IDatasetGrain>($"{name}-train");
        var test = Grains.GetGrain<IDatasetGrain>($"{name}-test");
        Assert.Single((await train.GetAsync())!.Versions); // the old code deleted these files, which train listed
        FaultyGrainStorage.FailWrites = null;

        var after = await ReactivateAsync(grain);

        Assert.Equal(DatasetOperation.Succeeded, after.Operations.Single(o => o.Id == operation.Id).State);
        var trainVersion = (await train.GetAsync())!.Versions.Single();
        var testVersion = (await test.GetAsync())!.Versions.Single();
        Assert.Equal(4_000, trainVersion.RowCount + testVersion.RowCount);
        Assert.InRange(testVersion.RowCount, 800, 1_200);
        Assert.Equal((int)testVersion.RowCount, (await test.HeadAsync(testVersion.Version, 10_000)).RowCount);
        Assert.Equal((int)trainVersion.RowCount, (await train.HeadAsync(trainVersion.Version, 10_000)).RowCount);
    }

    [Fact]
    public async Task AnEndpointUpdateThatWasNotRecordedKeepsTheOldVersionServedAndHeld()
    {
        var name = DatasetClusterFixture.NewName();
        var model = Grains.GetGrain<IModelGrain>(name);
        await model.RegisterAsync(new ModelSource(Artifact: await ServingTests.MlNetZipAsync(Store, dimension: 3), Flavor: "mlnet"), "ana");
        await model.RegisterAsync(new ModelSource(Artifact: await ServingTests.MlNetZipAsync(Store, dimension: 3), Flavor: "mlnet"), "ana");
        var endpoint = Grains.GetGrain<IEndpointGrain>(name);
        await endpoint.SetAsync(new EndpointSpec([new EndpointTarget(name, Version: 1)]), "admin");

        FailWrite(name, number: 1, type: "orleansml.endpoint");
        await Assert.ThrowsAnyAsync<Exception>(() => endpoint.SetAsync(new EndpointSpec([new EndpointTarget(name, Version: 2)]), "admin"));
        FaultyGrainStorage.FailWrites = null;

        var info = await RetryAsync(endpoint.GetAsync);
        Assert.Equal([1], info!.Routes.Select(r => r.Version));
        var inUse = await Assert.ThrowsAsync<ArgumentException>(() => model.DeleteVersionAsync(1)); // released before the write, it was deletable
        Assert.Contains(name, inUse.Message, StringComparison.Ordinal);
        var switched = await endpoint.SetAsync(new EndpointSpec([new EndpointTarget(name, Version: 2)]), "admin");
        Assert.Equal(2, switched.Routes.Single().Version);
        Assert.DoesNotContain(1, (await model.DeleteVersionAsync(1)).Versions.Select(v => v.Version)); // released once the switch is recorded
    }

    [Fact]
    public async Task ADeletionWhoseFirstStateWriteFailedLeavesTheVersionWhole()
    {
        var (name, grain) = await ImportAsync(2_000);
        FailWrite(name, number: 1);

        await Assert.ThrowsAnyAsync<Exception>(() => grain.DeleteVersionAsync(1));
        FaultyGrainStorage.FailWrites = null;
        var after = await ReactivateAsync(grain);

        Assert.Equal([1], after.Versions.Select(v => v.Version));
        Assert.Equal(2_000, (await grain.HeadAsync(1, 10_000)).RowCount);
    }

    [Fact]
    public async Task ADeletionInterruptedAfterItsFirstStateWriteIsFinishedByTheNextActivation()
    {
        var (name, grain) = await ImportAsync(2_000);
        FailWrite(name, number: 2); // the version is unlisted and marked; the files go; recording that fails

        await Assert.ThrowsAnyAsync<Exception>(() => grain.DeleteVersionAsync(1));
        await Store.WriteAsync(DatasetPaths.Version(name, 1) + "late.bin", new MemoryStream([1])); // as if the silo stopped before deleting it
        FaultyGrainStorage.FailWrites = null;
        var after = await ReactivateAsync(grain);

        Assert.Empty(after.Versions);
        Assert.Empty(await ListAsync(DatasetPaths.Version(name, 1)));
    }

    private static void FailWrite(string key, int number, string type = "orleansml.dataset")
    {
        var writes = 0;
        FaultyGrainStorage.FailWrites = (_, grain) => grain.Type.ToString() == type && grain.Key.ToString() == key && Interlocked.Increment(ref writes) == number;
    }

    private static async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception) when (attempt < 20)
            {
                await Task.Delay(100); // an activation that is leaving
            }
        }
    }

    private async Task<(string Name, IDatasetGrain Grain)> ImportAsync(int rows)
    {
        var name = DatasetClusterFixture.NewName();
        var path = Path.Combine(_local.DataDirectory, "imports", $"{name}.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var text = new StringBuilder("id,x,group\n");
        for (var i = 0; i < rows; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i},{i * 0.5},{"abc"[i % 3]}\n");
        }

        await File.WriteAllTextAsync(path, text.ToString());
        var grain = Grains.GetGrain<IDatasetGrain>(name);
        var operation = await DatasetClusterFixture.WaitAsync(grain, await grain.StartImportAsync(new ImportRequest(new DatasetSource(path), Options: new ImportOptions(Partitions: 2))));
        Assert.Equal(DatasetOperation.Succeeded, operation.State);
        return (name, grain);
    }

    private static async Task<DatasetOperation> TransformAsync(IDatasetGrain grain)
    {
        var operation = await DatasetClusterFixture.WaitAsync(grain, await grain.StartTransformAsync(new TransformRequest([new TransformStep("derive", Output: "y", Expression: "x + 1")])));
        Assert.Equal(DatasetOperation.Succeeded, operation.State); // as far as the running activation knows
        return operation;
    }

    /// <summary>Deactivates the dataset grain and reads it again: the next activation sees only what was written.</summary>
    private static async Task<DatasetInfo> ReactivateAsync(IDatasetGrain grain)
    {
        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return (await grain.GetAsync())!;
            }
            catch (Exception) when (attempt < 20)
            {
                await Task.Delay(100); // the old activation may still be leaving
            }
        }
    }

    private async Task<List<string>> ListAsync(string prefix)
    {
        var paths = new List<string>();
        await foreach (var artifact in Store.ListAsync(prefix))
        {
            paths.Add(artifact.Path);
        }

        return paths;
    }
}
