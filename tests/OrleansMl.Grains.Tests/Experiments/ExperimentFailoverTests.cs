using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansMl.Datasets;
using OrleansMl.Experiments;
using OrleansMl.Hosting.Options;
using OrleansMl.Testing;

namespace OrleansMl.Grains.Tests.Experiments;

/// <summary>A silo of a 3-silo cluster is killed while an experiment's runs are in flight; every run must still be accounted for.</summary>
public sealed class ExperimentFailoverTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("orleansml-failover-").FullName;
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var options = new OrleansMlOptions { DataDirectory = _dataDirectory, Datasets = { ImportRoots = [FashionMnist.DatasetDirectory] } };
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddOrleansMlStorage(options);
            silo.Services.DeclareDeadSilosQuickly();
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task AnExperimentCompletesWithEveryRunAccountedForAfterASiloDies()
    {
        var grains = _cluster.Client;
        var dataset = grains.GetGrain<IDatasetGrain>("fashion");
        var import = await dataset.WaitUntilFinishedAsync((await dataset.StartImportAsync(new ImportRequest(
            new DatasetSource(FashionMnist.PathOf(FashionMnist.TestImages), LabelsPath: FashionMnist.PathOf(FashionMnist.TestLabels)),
            Options: new ImportOptions(Partitions: 6)))).Id, TimeSpan.FromMinutes(2));
        Assert.Equal(DatasetOperation.Succeeded, import!.State);

        var experiment = grains.GetGrain<IExperimentGrain>("failover");
        await experiment.StartAsync(new ExperimentSpec(
            new DatasetRef("fashion"), "label", "pixels", "multiclass", "knn",
            TestFraction: 0.3,
            SearchSpace: new Dictionary<string, ParamRange> { ["k"] = new(Min: 1, Max: 9, Integer: true) },
            Strategy: "random", MaxRuns: 6, MaxConcurrentRuns: 3, Seed: 3));

        // Wait until runs are in flight, then kill a silo other than the primary.
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while ((await experiment.ListRunsAsync()).All(r => r.Status != RunSummary.Running))
        {
            Assert.True(DateTime.UtcNow < deadline, "no run started within a minute");
            await Task.Delay(100);
        }

        var unfinishedAtKill = (await experiment.ListRunsAsync()).Count(r => !r.IsFinished);
        await _cluster.KillSiloAsync(_cluster.Silos[2]);
        await _cluster.WaitForLivenessToStabilizeAsync(didKill: true);

        var done = await RetryAsync(() => experiment.WaitAsync(TimeSpan.FromSeconds(20)), e => e.State is "succeeded" or "failed" or "cancelled");
        var runs = await RetryAsync(() => experiment.ListRunsAsync(), _ => true);

        var details = string.Join("; ", await Task.WhenAll(runs.Select(async r =>
        {
            var info = await RetryAsync(() => grains.GetGrain<IRunGrain>(r.Id).GetAsync(), _ => true);
            return $"{r.Index}: {r.Status} / run says {info?.Summary.Status}, attempts {info?.Attempts}, error {info?.Summary.Error}";
        })));
        Assert.True(unfinishedAtKill > 0);
        Assert.True(done.State == "succeeded", $"{done.State}: {details}");
        Assert.Equal(6, runs.Count);
        Assert.All(runs, r =>
        {
            Assert.Equal(RunSummary.Succeeded, r.Status);
            Assert.InRange(r.Metrics["accuracy"], 0.7, 1.0);
        });
    }

    /// <summary>Calls made while the cluster notices the dead silo can fail; a client retries them.</summary>
    private static async Task<T> RetryAsync<T>(Func<Task<T>> call, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            try
            {
                var result = await call();
                if (done(result) || DateTime.UtcNow > deadline)
                {
                    return result;
                }
            }
            catch (Exception e) when (e is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }
}
