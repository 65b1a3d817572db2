using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansMl.Datasets;
using OrleansMl.Ml.Knn;
using OrleansMl.Testing;

namespace OrleansMl.Grains.Tests.Datasets;

public sealed class PartitionCacheBudgetTests
{
    private static PartitionCacheBudget Budget(long bytes)
    {
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        return new PartitionCacheBudget(Options.Create(new DatasetImportOptions { PartitionCacheBytes = bytes }), services.GetRequiredService<IMeterFactory>());
    }

    [Fact]
    public void PastTheBudgetTheLeastRecentlyUsedGoFirstNeverThePartitionInUseAndNoneIsAskedTwice()
    {
        var budget = Budget(100);
        Assert.Empty(budget.Use("a", 40));
        Assert.Empty(budget.Use("b", 40));
        Assert.Empty(budget.Use("a", 40)); // a used again: b is now the least recent
        Assert.Equal(["c"], budget.Use("c", 40)); // c, used once, no more often than b: c lets go after its use, a and b stay
        Assert.Empty(budget.Use("c", 0));
        Assert.Equal(["b"], budget.Use("c", 40)); // c used again, more often than b: 120 > 100, b goes, a stays
        Assert.Empty(budget.Use("d", 10)); // b is being let go: not asked again, and a, c, d are not asked for it
        Assert.Equal(130, budget.CachedBytes);

        Assert.Empty(budget.Use("b", 0)); // b let go
        Assert.Equal(90, budget.CachedBytes);
        Assert.Equal(3, budget.CachedPartitions);

        // One partition larger than the whole budget, used once, works and then goes; the others, used as often or more, stay.
        Assert.Equal(["huge"], budget.Use("huge", 500));
        Assert.Empty(budget.Use("huge", 0));
        Assert.Equal(90, budget.CachedBytes);
        Assert.Equal(3, budget.Evictions);
    }

    [Fact]
    public void PassAfterPassOverMorePartitionsThanFitAPartOfThemStaysAndIsFound()
    {
        // Ten partitions of 10 bytes, a budget of 45: what iterative training does over a dataset twice the budget.
        var budget = Budget(45);
        var cached = new HashSet<string>();
        var found = 0;
        for (var pass = 0; pass < 5; pass++)
        {
            for (var p = 0; p < 10; p++)
            {
                var key = $"p{p}";
                found += cached.Contains(key) ? 1 : 0;
                cached.Add(key);
                foreach (var victim in budget.Use(key, 10))
                {
                    cached.Remove(victim);
                    budget.Use(victim, 0);
                }
            }
        }

        // LRU would find none (each pass pushes out exactly the partition needed next); here 4 of 10 stay from the first pass on.
        Assert.Equal(4 * 4, found);
        Assert.Equal(["p0", "p1", "p2", "p3"], cached.Order());
    }

    [Fact]
    public void APartitionUsedOftenOutlastsOnePassOverAnotherDataset()
    {
        var budget = Budget(30);
        for (var i = 0; i < 3; i++)
        {
            Assert.Empty(budget.Use("hot", 10));
        }

        for (var p = 0; p < 8; p++)
        {
            var key = $"scan{p}";
            foreach (var victim in budget.Use(key, 10))
            {
                Assert.NotEqual("hot", victim);
                budget.Use(victim, 0);
            }
        }

        Assert.Empty(budget.Use("hot", 10));
        Assert.Equal(30, budget.CachedBytes);
    }

    [Fact]
    public void WithoutASettingTheBudgetIsHalfTheMemoryTheProcessMayUse() =>
        Assert.Equal(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2, Budget(0).Budget);

    [Fact]
    public async Task ADatasetFourTimesTheSilosBudgetDescribesSearchesAndTrainsAndEachSiloHoldsAboutItsBudget()
    {
        const long Budget = 8L << 20; // Fashion-MNIST's test set is ~32 MB as float32 pixels: about four times this per silo
        await using var local = await LocalCluster.StartAsync(2, o =>
        {
            o.Datasets.ImportRoots = [FashionMnist.DatasetDirectory];
            o.Datasets.PartitionCacheBytes = Budget;
        });
        var dataset = local.Cluster.Client.GetGrain<IDatasetGrain>("fashion");
        var import = await dataset.WaitUntilFinishedAsync((await dataset.StartImportAsync(new ImportRequest(
            new DatasetSource(FashionMnist.PathOf(FashionMnist.TestImages), LabelsPath: FashionMnist.PathOf(FashionMnist.TestLabels)),
            Options: new ImportOptions(Partitions: 16)))).Id, TimeSpan.FromMinutes(2));
        Assert.Equal(DatasetOperation.Succeeded, import!.State);

        // The second pass reads again what the first let go, and must say exactly the same.
        var first = await dataset.DescribeAsync();
        var second = await dataset.DescribeAsync();
        Assert.Equal(first, second);
        using (var summary = System.Text.Json.JsonDocument.Parse(first))
        {
            var label = summary.RootElement.GetProperty("columns")[0];
            Assert.Equal(10_000, label.GetProperty("count").GetInt64());
            Assert.Equal(4.5, label.GetProperty("mean").GetDouble(), 6);
            Assert.Equal(10_000L * 784, summary.RootElement.GetProperty("columns")[1].GetProperty("count").GetInt64());
        }

        // Letting go is asked for without waiting: give it a moment, then every silo is within its budget plus the partition in use.
        var largest = 32L * 1024 * 1024 * 2 / 16; // one of 16 partitions of ~32 MB, with room for its labels and the estimate's slack
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var held = new long[local.Cluster.Silos.Count];
        do
        {
            await Task.Delay(200);
            for (var i = 0; i < held.Length; i++)
            {
                held[i] = local.Cluster.Silos[i].ServiceProvider.GetRequiredService<PartitionCacheBudget>().CachedBytes;
            }
        }
        while (held.Any(h => h > Budget + largest) && DateTime.UtcNow < deadline);

        Assert.All(held, h => Assert.InRange(h, 1, Budget + largest));

        // Searches read the partitions the budget let go again, and find the neighbours one index over every row finds.
        var version = (await dataset.GetAsync())!.Versions.Single();
        var (pixels, labels) = FashionMnist.Read(FashionMnist.TestImages, FashionMnist.TestLabels);
        var queries = pixels[..(50 * 784)];
        var search = await new OrleansMl.Knn.DistributedKnnClassifier(local.Cluster.Client, "fashion", version, new OrleansMl.Knn.KnnClassifierOptions("pixels", "label", 5))
            .PredictAsync(queries, 784);
        var reference = new Neighbor[50 * 5];
        new KnnIndex(pixels, 784, KnnDistance.L2).Search(queries, 5, reference);
        Assert.Equal(reference.Select(n => n.Distance), search.NeighborDistances);

        // And training reads them again at every iteration: a data-parallel logistic regression still learns.
        var experiment = local.Cluster.Client.GetGrain<OrleansMl.Experiments.IExperimentGrain>("over-budget");
        await experiment.StartAsync(new OrleansMl.Experiments.ExperimentSpec(new OrleansMl.Experiments.DatasetRef("fashion"), "label", "pixels", "multiclass", "logistic_regression",
            Params: new Dictionary<string, string> { ["max_iterations"] = "15" }));
        var done = await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(3));
        var run = Assert.Single(await experiment.ListRunsAsync());
        Assert.True(done.State == "succeeded", run.Error);
        Assert.InRange(run.Metrics["accuracy"], 0.7, 1.0);
        Assert.All(local.Cluster.Silos, silo => Assert.InRange(silo.ServiceProvider.GetRequiredService<PartitionCacheBudget>().CachedBytes, 0, Budget + largest));
    }
}
