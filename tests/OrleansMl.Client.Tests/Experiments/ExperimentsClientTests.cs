using System.Collections.Concurrent;

namespace OrleansMl.Client.Tests.Experiments;

[Collection(PlatformCollection.Name)]
public sealed class ExperimentsClientTests(PlatformFixture platform)
{
    [Fact]
    public async Task AKnnSearchIsFollowedToItsEndAndItsRunsAreListedComparedAndWatched()
    {
        var dataset = await TwoBlobs.UploadAsync(platform.Scientist);
        var name = TwoBlobs.NewName("exp");

        var started = await platform.Scientist.Experiments.StartAsync(name, TwoBlobs.KnnSpec(dataset));
        Assert.Equal(1, started.Spec.Train.Version); // pinned when it started
        var live = CollectAsync(platform.Reader.Experiments.WatchAsync(name));
        var seen = new ConcurrentQueue<ExperimentInfo>();
        var done = await platform.Reader.Experiments.WaitAsync(name, new SynchronousProgress<ExperimentInfo>(seen.Enqueue));

        // The stream that was open while it ran ends with every run's final state.
        var updates = await live.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(updates.GroupBy(u => u.Index), g => Assert.Equal("succeeded", g.Last().Status));
        Assert.Equal([0, 1, 2], updates.Select(u => u.Index).Distinct().Order());

        Assert.Equal("succeeded", done.State);
        Assert.Same(done, seen.Last());
        Assert.Equal(("accuracy", true), (done.Metric, done.Maximize));
        Assert.Equal(1.0, done.Best!.Metrics["accuracy"]);
        Assert.Equal(3, done.RunCounts["succeeded"]);

        var runs = await platform.Reader.Experiments.ListRunsAsync(name, sortBy: "accuracy");
        Assert.Equal(3, runs.Count);
        Assert.All(runs, r => Assert.True(r.IsFinished));
        var byIndex = await platform.Reader.Experiments.ListRunsAsync(name, skip: 1, take: 1);
        Assert.Single(byIndex);

        // Ordered by a parameter (as numbers: k 1, 3, 5), and filtered on the server by a parameter and a metric.
        Assert.Equal(["5", "3", "1"], (await platform.Reader.Experiments.ListRunsAsync(name, sortBy: "k", descending: true)).Select(r => r.Params["k"]));
        Assert.Equal(["3", "5"], (await platform.Reader.Experiments.ListRunsAsync(name, filter: "k >= 3 and accuracy > 0.5")).Select(r => r.Params["k"]));
        Assert.Empty(await platform.Reader.Experiments.ListRunsAsync(name, filter: "status = failed"));
        var bad = await Assert.ThrowsAsync<OrleansMlApiException>(() => platform.Reader.Experiments.ListRunsAsync(name, filter: "k ~ 3"));
        Assert.Equal(400, bad.StatusCode);
        Assert.Contains("'k ~ 3' is not 'name op value'", bad.Message, StringComparison.Ordinal);

        var compared = await platform.Reader.Experiments.CompareAsync(name, [0, 2]);
        Assert.Equal(["1", "5"], compared.Select(r => r.Summary.Params["k"]));
        Assert.All(compared, r => Assert.Equal("knn", r.Trainer));

        var run = await platform.Reader.Runs.GetAsync(name, 1);
        Assert.Equal(1, run.Summary.Index);
        Assert.NotEmpty(run.Silos);
        var metrics = await platform.Reader.Runs.GetMetricsAsync(name, 1);
        Assert.Contains(metrics, m => m.Values.ContainsKey("accuracy"));

        // The experiment has ended, so the stream replays every run and then closes.
        var watched = await CollectAsync(platform.Reader.Experiments.WatchAsync(name));
        Assert.Equal([0, 1, 2], watched.Select(r => r.Index).Order());
        Assert.All(watched, r => Assert.Equal("succeeded", r.Status));
        Assert.Contains(name, await platform.Reader.Experiments.ListAsync());

        // Starting it again with the same spec is the same experiment.
        Assert.Equal(done.CreatedAt, (await platform.Scientist.Experiments.StartAsync(name, TwoBlobs.KnnSpec(dataset))).CreatedAt);
    }

    [Fact]
    public async Task AServerSideWaitAnswersWithTheFinishedExperiment()
    {
        var dataset = await TwoBlobs.UploadAsync(platform.Scientist);
        var spec = TwoBlobs.KnnSpec(dataset) with { SearchSpace = null, Strategy = "random", MaxRuns = 1, Params = new Dictionary<string, string> { ["k"] = "3" } };

        var info = await platform.Scientist.Experiments.StartAsync(TwoBlobs.NewName("exp"), spec, wait: TimeSpan.FromSeconds(120));

        Assert.Equal("succeeded", info.State);
        Assert.Equal("3", info.Best!.Params["k"]);
    }

    private static async Task<List<RunSummary>> CollectAsync(IAsyncEnumerable<RunSummary> updates)
    {
        var all = new List<RunSummary>();
        await foreach (var update in updates)
        {
            all.Add(update);
        }

        return all;
    }
}
