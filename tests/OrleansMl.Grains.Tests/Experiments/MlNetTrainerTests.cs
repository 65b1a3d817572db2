using OrleansMl.Datasets;
using OrleansMl.Experiments;
using OrleansMl.Grains.Tests.Datasets;
using OrleansMl.Testing;

namespace OrleansMl.Grains.Tests.Experiments;

[Collection(DatasetClusterCollection.Name)]
public sealed class MlNetTrainerTests(DatasetClusterFixture fixture)
{
    [Fact]
    public async Task AnMlNetSweepTrainsRealModelsAndARunWithBadHyperparametersFailsAlone()
    {
        var dataset = "mlnet-" + Guid.NewGuid().ToString("N")[..8];
        var (_, import) = await fixture.ImportAsync(dataset, new ImportRequest(
            new DatasetSource(FashionMnist.PathOf(FashionMnist.TestImages), LabelsPath: FashionMnist.PathOf(FashionMnist.TestLabels)),
            Options: new ImportOptions(Partitions: 3)));
        Assert.Equal(DatasetOperation.Succeeded, import.State);

        var experiment = fixture.Grains.GetGrain<IExperimentGrain>("mlnet-" + Guid.NewGuid().ToString("N")[..8]);
        await experiment.StartAsync(new ExperimentSpec(
            new DatasetRef(dataset), "label", "pixels", "multiclass", "mlnet",
            SearchSpace: new Dictionary<string, ParamRange> { ["algorithm"] = new(Values: ["lightgbm", "lbfgs_maxent"]) },
            Params: new Dictionary<string, string> { ["num_iterations"] = "10", ["l2"] = "-1" },
            Strategy: "grid", MaxRuns: 2));
        var done = await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(4));

        var runs = await experiment.ListRunsAsync();
        var lightgbm = runs.Single(r => r.Params["algorithm"] == "lightgbm");
        var maxent = runs.Single(r => r.Params["algorithm"] == "lbfgs_maxent");
        Assert.Equal("succeeded", done.State);
        Assert.Equal(RunSummary.Succeeded, lightgbm.Status);
        Assert.InRange(lightgbm.Metrics["accuracy"], 0.7, 1.0);
        Assert.True(double.IsFinite(lightgbm.Metrics["log_loss"]));
        Assert.Equal(RunSummary.Failed, maxent.Status);
        Assert.Contains("L2", maxent.Error, StringComparison.OrdinalIgnoreCase);
        var info = (await fixture.Grains.GetGrain<IRunGrain>(lightgbm.Id).GetAsync())!;
        Assert.True((await fixture.Store.GetInfoAsync(info.Artifacts["model"]))!.Length > 1000);
    }

    [Fact]
    public async Task EveryPartitionFitsATreeModelAndTheEnsembleAveragesThem()
    {
        var dataset = "trees-" + Guid.NewGuid().ToString("N")[..8];
        var (_, import) = await fixture.ImportAsync(dataset, new ImportRequest(
            new DatasetSource(FashionMnist.PathOf(FashionMnist.TestImages), LabelsPath: FashionMnist.PathOf(FashionMnist.TestLabels)),
            Options: new ImportOptions(Partitions: 3)));
        Assert.Equal(DatasetOperation.Succeeded, import.State);

        var experiment = fixture.Grains.GetGrain<IExperimentGrain>("trees-" + Guid.NewGuid().ToString("N")[..8]);
        await experiment.StartAsync(new ExperimentSpec(new DatasetRef(dataset), "label", "pixels", "multiclass", "tree_ensemble",
            Params: new Dictionary<string, string> { ["algorithm"] = "lightgbm", ["num_iterations"] = "10" }));
        var done = await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(4));

        var run = Assert.Single(await experiment.ListRunsAsync());
        Assert.True(done.State == "succeeded", run.Error);
        Assert.Equal(3, run.Metrics["members"]);
        Assert.InRange(run.Metrics["accuracy"], 0.7, 1.0);
        var info = (await fixture.Grains.GetGrain<IRunGrain>(run.Id).GetAsync())!;
        Assert.Equal(["confusion_matrix", "member0", "member1", "member2"], info.Artifacts.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, info.Silos.Count);
    }
}
