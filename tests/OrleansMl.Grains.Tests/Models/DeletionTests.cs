using OrleansMl.Catalog;
using OrleansMl.Datasets;
using OrleansMl.Experiments;
using OrleansMl.Grains.Tests.Datasets;
using OrleansMl.Models;
using OrleansMl.Serving;

namespace OrleansMl.Grains.Tests.Models;

/// <summary>
/// Deleting datasets, their versions and experiments: what is deleted leaves no files behind, what
/// something still needs is refused with a message naming it, and what others hold (a registered
/// model version's copy) keeps working.
/// </summary>
[Collection(DatasetClusterCollection.Name)]
public sealed class DeletionTests(DatasetClusterFixture fixture)
{
    [Fact]
    public async Task ADeletedVersionLeavesNoFilesAndItsNumberIsNeverReused()
    {
        var name = DatasetClusterFixture.NewName();
        var grain = fixture.Grains.GetGrain<IDatasetGrain>(name);
        var csv = fixture.WriteCsv(500);
        await fixture.ImportAsync(name, new ImportRequest(new DatasetSource(csv)));
        await fixture.ImportAsync(name, new ImportRequest(new DatasetSource(csv)));
        Assert.NotEmpty(await ListAsync(DatasetPaths.Version(name, 1)));

        await grain.DeleteVersionAsync(1);

        Assert.Equal([2], (await grain.GetAsync())!.Versions.Select(v => v.Version));
        Assert.Empty(await ListAsync(DatasetPaths.Version(name, 1)));
        Assert.Equal(500, (await grain.HeadAsync(2, 1_000)).RowCount);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => grain.DeleteVersionAsync(1));
        var (_, third) = await fixture.ImportAsync(name, new ImportRequest(new DatasetSource(csv)));
        Assert.Equal(3, third.Version);
    }

    [Fact]
    public async Task ADeletedDatasetIsGoneFromTheCatalogAndTheStore()
    {
        var name = DatasetClusterFixture.NewName();
        var grain = fixture.Grains.GetGrain<IDatasetGrain>(name);
        await fixture.ImportAsync(name, new ImportRequest(new DatasetSource(fixture.WriteCsv(300))));
        Assert.Contains(name, await fixture.Grains.GetGrain<ICatalogGrain>(ICatalogGrain.Datasets).ListAsync());

        await grain.DeleteAsync();

        Assert.Null(await grain.GetAsync());
        Assert.DoesNotContain(name, await fixture.Grains.GetGrain<ICatalogGrain>(ICatalogGrain.Datasets).ListAsync());
        Assert.Empty(await ListAsync($"datasets/{name}/"));
        await Assert.ThrowsAsync<KeyNotFoundException>(grain.DeleteAsync);
    }

    [Fact]
    public async Task ADatasetAKnnModelAnswersFromIsKeptUntilTheModelVersionGoes()
    {
        var experiment = await BlobExperiments.RunAsync(fixture, await BlobExperiments.DatasetAsync(fixture), "knn");
        var model = fixture.Grains.GetGrain<IModelGrain>("model-" + Guid.NewGuid().ToString("N")[..8]);
        var version = await model.RegisterAsync(new ModelSource(experiment, 0), "ana");
        var train = fixture.Grains.GetGrain<IDatasetGrain>(version.Lineage.Dataset!);

        var refused = await Assert.ThrowsAsync<ResourceConflictException>(train.DeleteAsync);
        Assert.Contains($"model '{model.GetPrimaryKeyString()}' version 1", refused.Message, StringComparison.Ordinal);
        Assert.NotNull(await train.GetAsync());

        await model.DeleteVersionAsync(1);
        await train.DeleteAsync();
        Assert.Null(await train.GetAsync());
    }

    [Fact]
    public async Task ADeletedExperimentTakesItsRunsAndFilesAndItsRegisteredVersionKeepsServing()
    {
        var dataset = await BlobExperiments.DatasetAsync(fixture);
        var experiment = await BlobExperiments.RunAsync(fixture, dataset, "logistic_regression");
        var model = "model-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Grains.GetGrain<IModelGrain>(model).RegisterAsync(new ModelSource(experiment, 0), "ana");
        Assert.NotEmpty(await ListAsync($"runs/{experiment}/"));
        var grain = fixture.Grains.GetGrain<IExperimentGrain>(experiment);

        await grain.DeleteAsync();

        Assert.Null(await grain.GetAsync());
        Assert.Null(await fixture.Grains.GetGrain<IRunGrain>(IRunGrain.KeyOf(experiment, 0)).GetAsync());
        Assert.Empty(await ListAsync($"runs/{experiment}/"));
        Assert.DoesNotContain(experiment, await fixture.Grains.GetGrain<ICatalogGrain>(ICatalogGrain.Experiments).ListAsync());
        var prediction = await fixture.Grains.GetGrain<IPredictorGrain>(IPredictorGrain.KeyOf(model, 1)).PredictAsync(new PredictionInput([10.5f, 0.5f], 1));
        Assert.Equal(1, prediction.Labels[0]);
        await Assert.ThrowsAsync<KeyNotFoundException>(grain.DeleteAsync);

        // The name is free again, for any spec.
        await grain.StartAsync(new ExperimentSpec(new DatasetRef(dataset), "label", "features", "multiclass", "knn"));
        Assert.Equal("succeeded", (await grain.WaitUntilDoneAsync(TimeSpan.FromMinutes(2))).State);
    }

    [Fact]
    public async Task ADeletedRunLeavesListingsTheBestRunAndTheStore()
    {
        var experiment = await BlobExperiments.RunAsync(fixture, await BlobExperiments.DatasetAsync(fixture), "knn", new Dictionary<string, ParamRange> { ["k"] = new(Values: ["1", "3", "5"]) }, runs: 3);
        var grain = fixture.Grains.GetGrain<IExperimentGrain>(experiment);
        var best = (await grain.GetAsync())!.Best!.Index;
        Assert.NotEmpty(await ListAsync($"runs/{experiment}/{best:D5}/"));

        await grain.DeleteRunAsync(best);

        var info = (await grain.GetAsync())!;
        Assert.NotEqual(best, info.Best!.Index);
        Assert.Equal(1, info.RunCounts[RunSummary.Deleted]);
        Assert.DoesNotContain(best, (await grain.ListRunsAsync()).Select(r => r.Index));
        Assert.Equal(2, (await grain.ListRunsAsync()).Count);
        Assert.Null(await fixture.Grains.GetGrain<IRunGrain>(IRunGrain.KeyOf(experiment, best)).GetAsync());
        Assert.Empty(await ListAsync($"runs/{experiment}/{best:D5}/"));
        Assert.NotEmpty(await ListAsync($"runs/{experiment}/"));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => grain.DeleteRunAsync(best));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => grain.DeleteRunAsync(7));
        await grain.DeleteAsync();
    }

    [Fact]
    public async Task WhatARunningExperimentOrOperationReadsIsNotDeleted()
    {
        var dataset = await BlobExperiments.DatasetAsync(fixture);
        var source = fixture.Grains.GetGrain<IDatasetGrain>(dataset);
        var name = "exp-" + Guid.NewGuid().ToString("N")[..8];
        var grain = fixture.Grains.GetGrain<IExperimentGrain>(name);
        GateTransform.Close(); // the experiment's fitted steps, and the transform below, wait here
        try
        {
            await grain.StartAsync(new ExperimentSpec(new DatasetRef(dataset), "label", "features", "multiclass", "knn",
                Eval: new DatasetRef(dataset), Steps: [new TransformStep("udf", Name: "gate")]));
            var transform = await source.StartTransformAsync(new TransformRequest([new TransformStep("udf", Name: "gate")]));

            var refused = await Assert.ThrowsAsync<ResourceConflictException>(grain.DeleteAsync);
            Assert.Contains("cancel it", refused.Message, StringComparison.Ordinal);
            var used = await Assert.ThrowsAsync<ResourceConflictException>(() => source.DeleteVersionAsync(1));
            Assert.Contains($"experiment '{name}'", used.Message, StringComparison.Ordinal);
            Assert.Contains($"transform {transform.Id}", used.Message, StringComparison.Ordinal);
            Assert.Equal([1], (await source.GetAsync())!.Versions.Select(v => v.Version));
        }
        finally
        {
            GateTransform.Open();
        }

        await grain.WaitUntilDoneAsync(TimeSpan.FromMinutes(2));
        await grain.DeleteAsync();
        Assert.Null(await grain.GetAsync());
    }

    private async Task<List<string>> ListAsync(string prefix)
    {
        var paths = new List<string>();
        await foreach (var artifact in fixture.Store.ListAsync(prefix))
        {
            paths.Add(artifact.Path);
        }

        return paths;
    }
}
