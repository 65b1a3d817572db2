using OrleansMl.Datasets;
using OrleansMl.Experiments;
using OrleansMl.Grains.Tests.Datasets;
using OrleansMl.Testing;

namespace OrleansMl.Grains.Tests.Experiments;

[Collection(DatasetClusterCollection.Name)]
public sealed class ExperimentTests(DatasetClusterFixture fixture)
{
    private static ExperimentSpec KnnGrid(string dataset, int maxRuns = 4) => new(
        new DatasetRef(dataset), "label", "pixels", "multiclass", "knn",
        SearchSpace: new Dictionary<string, ParamRange>
        {
            ["k"] = new(Values: ["1", "5"]),
            ["distance"] = new(Values: ["l2", "cosine"]),
        },
        Strategy: "grid", MaxRuns: maxRuns, MaxConcurrentRuns: 2, Seed: 7, TestFraction: 0.1);

    private async Task<string> FashionAsync()
    {
        var name = "fm-" + Guid.NewGuid().ToString("N")[..8];
        var (_, operation) = await fixture.ImportAsync(name, new ImportRequest(
            new DatasetSource(FashionMnist.PathOf(FashionMnist.TestImages), LabelsPath: FashionMnist.PathOf(FashionMnist.TestLabels)),
            Options: new ImportOptions(Partitions: 4)));
        Assert.Equal(DatasetOperation.Succeeded, operation.State);
        return name;
    }

    private static string NewName() => "exp-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_tpe_search_starts_at_random_then_plans_each_run_as_a_slot_frees_up_to_max_runs()
    {
        var dataset = await Models.BlobExperiments.DatasetAsync(fixture);
        var spec = new ExperimentSpec(new DatasetRef(dataset), "label", "features", "multiclass", "knn",
            SearchSpace: new Dictionary<string, ParamRange> { ["k"] = new(Min: 1, Max: 25, Integer: true), ["distance"] = new(Values: ["l2", "cosine"]) },
            Params: new Dictionary<string, string> { ["tpe_startup"] = "3" }, Strategy: "tpe", MaxRuns: 7, MaxConcurrentRuns: 2, Seed: 5);
        var experiment = fixture.Grains.GetGrain<IExperimentGrain>(NewName());
        await experiment.StartAsync(spec);
        var done = await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(3));

        var runs = await experiment.ListRunsAsync();
        Assert.Equal("succeeded", done.State);
        Assert.Equal(7, runs.Count);
        Assert.All(runs, r => Assert.Equal(RunSummary.Succeeded, r.Status));
        Assert.Equal(SearchSpace.Plan(spec with { Strategy = "random" }).Take(3), runs.Take(3).Select(r => r.Params));
        Assert.All(runs, r =>
        {
            Assert.InRange(int.Parse(r.Params["k"], System.Globalization.CultureInfo.InvariantCulture), 1, 25);
            Assert.False(r.Params.ContainsKey("tpe_startup"));
        });
    }

    [Fact]
    public async Task AGridOfKnnRunsIsTrackedRankedAndReproducible()
    {
        var dataset = await FashionAsync();
        var experiment = fixture.Grains.GetGrain<IExperimentGrain>(NewName());
        var watched = new List<RunSummary>();
        var started = await experiment.StartAsync(KnnGrid(dataset));
        var watching = Task.Run(async () =>
        {
            await foreach (var run in experiment.WatchAsync())
            {
                watched.Add(run);
            }
        });
        var done = await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(3));
        await watching.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("succeeded", done.State);
        Assert.Equal("accuracy", done.Metric);
        Assert.Equal(4, done.RunCounts[RunSummary.Succeeded]);
        Assert.NotNull(done.Spec.Eval);
        var runs = await experiment.ListRunsAsync("accuracy");
        Assert.Equal(4, runs.Count);
        Assert.True(runs.Zip(runs.Skip(1)).All(p => p.First.Metrics["accuracy"] >= p.Second.Metrics["accuracy"]));
        Assert.Equal(runs[0].Id, done.Best!.Id);
        Assert.All(runs, r => Assert.InRange(r.Metrics["accuracy"], 0.7, 1.0));
        Assert.Equal(new[] { "1|l2", "1|cosine", "5|l2", "5|cosine" }.Order(), runs.Select(r => $"{r.Params["k"]}|{r.Params["distance"]}").Order());
        Assert.Contains(watched, r => r.Status == RunSummary.Succeeded);

        var info = (await fixture.Grains.GetGrain<IRunGrain>(runs[0].Id).GetAsync())!;
        Assert.Equal(3, info.Silos.Count); // the partitions it searched sit on all three silos
        Assert.NotNull(await fixture.Store.GetInfoAsync(info.Artifacts["model"]));
        Assert.NotNull(await fixture.Store.GetInfoAsync(info.Artifacts["confusion_matrix"]));
        Assert.NotEmpty(await fixture.Store.ListAsync(info.MetricHistoryPath).ToListAsync());

        // Same spec and seed → same metrics.
        var again = fixture.Grains.GetGrain<IExperimentGrain>(NewName());
        await again.StartAsync(KnnGrid(dataset));
        await again.WaitUntilDoneAsync(TimeSpan.FromMinutes(3));
        var first = (await experiment.ListRunsAsync()).Select(r => r.Metrics["accuracy"]);
        var second = (await again.ListRunsAsync()).Select(r => r.Metrics["accuracy"]);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task RunsThatFailAreMarkedWithTheReason()
    {
        var dataset = await FashionAsync();
        var experiment = fixture.Grains.GetGrain<IExperimentGrain>(NewName());
        await experiment.StartAsync(new ExperimentSpec(new DatasetRef(dataset), "label", "label", "multiclass", "knn", MaxRuns: 2));
        var done = await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(2));

        Assert.Equal("failed", done.State);
        var runs = await experiment.ListRunsAsync();
        Assert.All(runs, r =>
        {
            Assert.Equal(RunSummary.Failed, r.Status);
            Assert.Contains("'label' to be a vector column", r.Error, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task InvalidSpecsAreRejectedNamingTheField()
    {
        var dataset = await FashionAsync();
        var grain = fixture.Grains.GetGrain<IExperimentGrain>(NewName());
        var trainer = await Assert.ThrowsAsync<ArgumentException>(() => grain.StartAsync(KnnGrid(dataset) with { Trainer = "magic" }));
        Assert.Equal("trainer", FieldError.FieldOf(trainer));
        var metric = await Assert.ThrowsAsync<ArgumentException>(() => grain.StartAsync(KnnGrid(dataset) with { Metric = "rmse" }));
        Assert.Contains("Metrics: accuracy", metric.Message, StringComparison.Ordinal);
        var column = await Assert.ThrowsAsync<ArgumentException>(() => grain.StartAsync(KnnGrid(dataset) with { FeatureColumn = "image" }));
        Assert.Contains("no column 'image'", column.Message, StringComparison.Ordinal);
        var k = await Assert.ThrowsAsync<ArgumentException>(() => grain.StartAsync(KnnGrid(dataset) with { SearchSpace = new Dictionary<string, ParamRange> { ["k"] = new(Values: ["0"]) } }));
        Assert.Equal("params.k", FieldError.FieldOf(k));
        Assert.Null(await grain.GetAsync());
    }

    [Fact]
    public async Task CancellingStopsNewRunsAndAccountsForEveryStartedOne()
    {
        var dataset = await FashionAsync();
        var experiment = fixture.Grains.GetGrain<IExperimentGrain>(NewName());
        var spec = KnnGrid(dataset) with
        {
            Strategy = "random",
            SearchSpace = new Dictionary<string, ParamRange> { ["k"] = new(Min: 1, Max: 15, Integer: true) },
            MaxRuns = 30,
            MaxConcurrentRuns = 1,
        };
        await experiment.StartAsync(spec);
        await Task.Delay(500);
        await experiment.CancelAsync();
        var done = await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(2));

        Assert.Equal("cancelled", done.State);
        var runs = await experiment.ListRunsAsync();
        Assert.True(runs.Count < 30);
        Assert.All(runs, r => Assert.True(r.IsFinished, $"run {r.Index} is still {r.Status}"));
    }
}
