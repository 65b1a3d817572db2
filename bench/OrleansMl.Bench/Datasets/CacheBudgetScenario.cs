using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using Orleans.TestingHost;
using OrleansMl.Bench.Measurement;
using OrleansMl.Datasets;
using OrleansMl.Experiments;
using OrleansMl.Hosting.Options;
using OrleansMl.Knn;
using OrleansMl.Testing;

namespace OrleansMl.Bench.Datasets;

/// <summary>
/// A dataset twice a silo's partition cache budget: Fashion-MNIST's 60,000 training images (188 MB as float32,
/// 8 partitions) on one silo whose budget is 94 MB, against the same silo with the default budget (half its
/// memory: everything stays cached). Each describes the dataset twice (the second timed), classifies 2,000 test
/// images by exact k-NN and trains a data-parallel logistic regression (20 L-BFGS iterations) on it; over the
/// budget the least recently used partitions let their columns go and are read again from the store when next used.
/// </summary>
internal static class CacheBudgetScenario
{
    private const long DatasetBytes = 60_000L * 784 * sizeof(float);

    public static async Task<BenchResult[]> RunAsync()
    {
        await MeasureAsync(DatasetBytes / 2); // a warm-up pass: the code both measured passes run is compiled and tiered up first
        var whole = await MeasureAsync(0);
        var half = await MeasureAsync(DatasetBytes / 2);
        var note = $"Fashion-MNIST train, 188 MB in 8 partitions, one silo; budget {DatasetBytes / 2 / (1 << 20)} MiB against the default; partitions let go (read again when next used): {half.Reloads} over budget, {whole.Reloads} with the default";
        return
        [
            BenchResult.FromSamples("describe, dataset twice the cache budget", "the same, all cached", "rows/s", true, [half.DescribeRowsPerSecond], [whole.DescribeRowsPerSecond], note),
            BenchResult.FromSamples("k-NN of 2,000 images, dataset twice the budget", "the same, all cached", "distances/s", true, [half.KnnDistancesPerSecond], [whole.KnnDistancesPerSecond], "the partitions searched in turn for each batch of 1,000 queries: those let go are read again"),
            BenchResult.FromSamples("logistic regression 20 iterations, dataset twice the budget", "the same, all cached", "s", false, [half.TrainSeconds], [whole.TrainSeconds], "every L-BFGS iteration visits every partition, so over the budget most are read again each time"),
        ];
    }

    private sealed record Measured(double DescribeRowsPerSecond, double KnnDistancesPerSecond, double TrainSeconds, long Reloads);

    private static async Task<Measured> MeasureAsync(long budget)
    {
        var directory = Directory.CreateTempSubdirectory("orleansml-bench-cache-").FullName;
        var options = new OrleansMlOptions { DataDirectory = directory, Datasets = { ImportRoots = [FashionMnist.DatasetDirectory], PartitionCacheBytes = budget } };
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddOrleansMlStorage(options));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        try
        {
            var grains = cluster.Client;
            var train = await ImportAsync(grains, "train", FashionMnist.TrainImages, FashionMnist.TrainLabels, 8);
            var test = await ImportAsync(grains, "test", FashionMnist.TestImages, FashionMnist.TestLabels, 1);
            var dataset = grains.GetGrain<IDatasetGrain>(train);
            await dataset.DescribeAsync();
            var watch = Stopwatch.StartNew();
            await dataset.DescribeAsync(null, ["label", "pixels"], CancellationToken.None); // named columns: computed again, not the stored summary
            var describe = 60_000 / watch.Elapsed.TotalSeconds;

            var version = (await dataset.GetAsync())!.Versions.Single();
            var (queries, _) = FashionMnist.Read(FashionMnist.TestImages, FashionMnist.TestLabels);
            var classifier = new DistributedKnnClassifier(grains, train, version, new KnnClassifierOptions("pixels", "label", 5));
            watch.Restart();
            await classifier.PredictAsync(queries[..(2_000 * 784)], 784);
            var knn = 2_000.0 * 60_000 / watch.Elapsed.TotalSeconds;

            var experiment = grains.GetGrain<IExperimentGrain>("cache-lr");
            watch.Restart();
            await experiment.StartAsync(new ExperimentSpec(new DatasetRef(train), "label", "pixels", "multiclass", "logistic_regression", Eval: new DatasetRef(test),
                Params: new Dictionary<string, string> { ["max_iterations"] = "20", ["l2"] = "0.0001" }));
            var done = await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(30));
            var seconds = watch.Elapsed.TotalSeconds;
            if (done.State != "succeeded")
            {
                throw new InvalidOperationException($"The logistic regression ended {done.State}: {(await experiment.ListRunsAsync()).Single().Error}");
            }

            var reloads = (long)cluster.Silos[0].ServiceProvider.GetRequiredService<PartitionCacheBudget>().Evictions;
            return new Measured(describe, knn, seconds, reloads);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<string> ImportAsync(IGrainFactory grains, string name, string images, string labels, int partitions)
    {
        var grain = grains.GetGrain<IDatasetGrain>(name);
        var operation = await grain.WaitUntilFinishedAsync((await grain.StartImportAsync(new ImportRequest(
            new DatasetSource(FashionMnist.PathOf(images), LabelsPath: FashionMnist.PathOf(labels)), Options: new ImportOptions(Partitions: partitions)))).Id, TimeSpan.FromMinutes(10));
        return operation?.State == DatasetOperation.Succeeded ? name : throw new InvalidOperationException($"Import failed: {operation?.Error}");
    }
}
