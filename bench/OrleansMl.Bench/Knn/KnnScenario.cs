using System.Diagnostics;
using OrleansMl.Bench.Measurement;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats.Images;
using OrleansMl.Datasets;
using OrleansMl.Knn;
using OrleansMl.Ml.Knn;
using OrleansMl.Testing;

namespace OrleansMl.Bench.Knn;

/// <summary>
/// Exact k-NN (k=5, L2) of Fashion-MNIST test images against the 60k training images through the
/// partition grains, next to the best single-process kernel (one <see cref="KnnIndex"/>, every core)
/// and a plain scalar loop on one thread (timed on a slice of the queries).
/// </summary>
internal static class KnnScenario
{
    private const int K = 5;
    private const int Dimension = 784;

    public static async Task<BenchResult[]> RunAsync(IGrainFactory grains, BenchSettings settings)
    {
        var (train, _) = FashionMnist.Read(FashionMnist.TrainImages, FashionMnist.TrainLabels);
        var (test, testLabels) = FashionMnist.Read(FashionMnist.TestImages, FashionMnist.TestLabels);
        var queryCount = Math.Min(settings.KnnQueries, testLabels.Length);
        var (queries, truth) = (test[..(queryCount * Dimension)], testLabels[..queryCount]);
        var name = $"bench-knn-{Guid.NewGuid():N}";
        var dataset = grains.GetGrain<IDatasetGrain>(name);
        var import = await dataset.WaitUntilFinishedAsync((await dataset.StartImportAsync(new ImportRequest(
            new DatasetSource(FashionMnist.PathOf(FashionMnist.TrainImages), LabelsPath: FashionMnist.PathOf(FashionMnist.TrainLabels))))).Id, TimeSpan.FromMinutes(10));
        var version = (await dataset.GetAsync())!.Versions.Single();
        var classifier = new DistributedKnnClassifier(grains, name, version, new KnnClassifierOptions("pixels", "label", K));
        var index = new KnnIndex(train, Dimension, KnnDistance.L2);
        var count = queries.Length / Dimension;
        var distances = (double)count * (train.Length / Dimension);

        await classifier.PredictAsync(queries[..(100 * Dimension)], Dimension); // warm up: partitions load their rows and build their indexes
        var platform = new double[settings.Repetitions];
        var kernel = new double[settings.Repetitions];
        var scalar = new double[settings.Repetitions];
        double accuracy = 0;
        for (var rep = 0; rep < settings.Repetitions; rep++)
        {
            var watch = Stopwatch.StartNew();
            var prediction = await classifier.PredictAsync(queries, Dimension);
            platform[rep] = distances / watch.Elapsed.TotalSeconds;
            accuracy = prediction.Labels.Zip(truth).Count(p => p.First == p.Second) / (double)count;

            var neighbors = new Neighbor[count * K];
            watch.Restart();
            index.Search(queries, K, neighbors, Environment.ProcessorCount);
            kernel[rep] = distances / watch.Elapsed.TotalSeconds;

            const int ScalarQueries = 20;
            var few = new Neighbor[ScalarQueries * K];
            watch.Restart();
            BruteForceKnn.Search(train, Dimension, KnnDistance.L2, queries.AsSpan(0, ScalarQueries * Dimension), K, few);
            scalar[rep] = (double)ScalarQueries * (train.Length / Dimension) / watch.Elapsed.TotalSeconds;
        }

        var computed = index.PairsComputed / (distances * settings.Repetitions);
        var note = $"{count:N0} queries × {train.Length / Dimension:N0} rows × {Dimension} dims in {version.PartitionCount} partitions; accuracy {accuracy:P2}; import {import?.State}; "
            + $"distances/s counts every (query, row) pair; the L2 scan computed {computed:P1} of them, its norm bounds skipping the rest";
        return
        [
            BenchResult.FromSamples("k-NN k=5 L2, partition grains (vs kernel)", $"one KnnIndex, {Environment.ProcessorCount} threads", "distances/s", true, platform, kernel, note),
            BenchResult.FromSamples("k-NN k=5 L2, partition grains (vs scalar)", "scalar loop, 1 thread (20 queries)", "distances/s", true, platform, scalar, "the same run's grain numbers against a plain float loop"),
        ];
    }
}
