using OrleansMl.Datasets;
using OrleansMl.Experiments;
using OrleansMl.Grains.Tests.Datasets;
using OrleansMl.Testing;

namespace OrleansMl.Grains.Tests.Experiments;

[Collection(DatasetClusterCollection.Name)]
public sealed class LinearTrainerTests(DatasetClusterFixture fixture)
{
    private async Task<string> FashionAsync(int partitions)
    {
        var name = $"lin{partitions}-" + Guid.NewGuid().ToString("N")[..8];
        var (_, operation) = await fixture.ImportAsync(name, new ImportRequest(
            new DatasetSource(FashionMnist.PathOf(FashionMnist.TestImages), LabelsPath: FashionMnist.PathOf(FashionMnist.TestLabels)),
            Options: new ImportOptions(Partitions: partitions)));
        Assert.Equal(DatasetOperation.Succeeded, operation.State);
        return name;
    }

    private async Task<(RunSummary Run, RunInfo Info)> TrainAsync(string train, string eval)
    {
        var experiment = fixture.Grains.GetGrain<IExperimentGrain>("lr-" + Guid.NewGuid().ToString("N")[..8]);
        await experiment.StartAsync(new ExperimentSpec(
            new DatasetRef(train), "label", "pixels", "multiclass", "logistic_regression", Eval: new DatasetRef(eval),
            Params: new Dictionary<string, string> { ["max_iterations"] = "25", ["l2"] = "0.001" }));
        var done = await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(3));
        var run = Assert.Single(await experiment.ListRunsAsync());
        Assert.True(done.State == "succeeded", $"{done.State}: {run.Error}");
        return (run, (await fixture.Grains.GetGrain<IRunGrain>(run.Id).GetAsync())!);
    }

    [Fact]
    public async Task DataParallelTrainingMatchesSingleNodeTraining()
    {
        var one = await FashionAsync(1);
        var four = await FashionAsync(4);

        var (single, _) = await TrainAsync(one, one);
        var (parallel, info) = await TrainAsync(four, one);

        // Exact gradient aggregation: the same objective, so the same optimisation path (up to the rounding of the sum order).
        Assert.Equal(single.Metrics["objective"], parallel.Metrics["objective"], 1e-6);
        Assert.Equal(single.Metrics["accuracy"], parallel.Metrics["accuracy"], 0.005);
        Assert.InRange(parallel.Metrics["accuracy"], 0.75, 1.0);
        Assert.Equal(3, info.Silos.Count);
        Assert.NotNull(await fixture.Store.GetInfoAsync(info.Artifacts["checkpoint"]));
        Assert.NotNull(await fixture.Store.GetInfoAsync(info.Artifacts["model"]));
        var history = await fixture.Store.ListAsync(info.MetricHistoryPath).ToListAsync();
        Assert.NotEmpty(history);
    }

    [Fact]
    public async Task SuccessiveHalvingKeepsTheBestConfigurationsWithGrowingBudgets()
    {
        var dataset = await FashionAsync(2);
        var experiment = fixture.Grains.GetGrain<IExperimentGrain>("halving-" + Guid.NewGuid().ToString("N")[..8]);
        await experiment.StartAsync(new ExperimentSpec(
            new DatasetRef(dataset), "label", "pixels", "multiclass", "logistic_regression",
            SearchSpace: new Dictionary<string, ParamRange> { ["l2"] = new(Min: 1e-5, Max: 1, Log: true) },
            Params: new Dictionary<string, string> { ["halving_min"] = "2", ["halving_eta"] = "2" },
            Strategy: "halving", MaxRuns: 4, MaxConcurrentRuns: 2));
        var done = await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(4));

        var runs = await experiment.ListRunsAsync();
        Assert.Equal("succeeded", done.State);
        Assert.Equal(["2", "2", "2", "2", "4", "4", "8"], runs.Select(r => r.Params["max_iterations"]));
        var firstRound = runs.Take(4).OrderByDescending(r => r.Metrics["accuracy"]).ThenBy(r => r.Index).Take(2).Select(r => r.Params["l2"]);
        Assert.Equal(firstRound.Order(), runs.Skip(4).Take(2).Select(r => r.Params["l2"]).Order());
        Assert.False(runs[0].Params.ContainsKey("halving_min"));
    }
}
