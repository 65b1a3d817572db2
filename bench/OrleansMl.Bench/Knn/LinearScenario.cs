using System.Diagnostics;
using Microsoft.ML;
using OrleansMl.Bench.Measurement;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats.Images;
using OrleansMl.Datasets;
using OrleansMl.Experiments;
using OrleansMl.Ml.Metrics;
using OrleansMl.Ml.MlNet;
using OrleansMl.Testing;

namespace OrleansMl.Bench.Knn;

/// <summary>
/// Multiclass logistic regression on Fashion-MNIST (raw pixels): the platform's data-parallel L-BFGS
/// over 4 partitions (one run of an experiment, end to end) next to ML.NET's LbfgsMaximumEntropy in
/// this process on the same rows, both capped at the same number of iterations: wall time and accuracy.
/// </summary>
internal static class LinearScenario
{
    public static async Task<BenchResult[]> RunAsync(IGrainFactory grains, BenchSettings settings)
    {
        var iterations = settings.LinearIterations;
        var train = await ImportAsync(grains, FashionMnist.TrainImages, FashionMnist.TrainLabels, 4);
        var test = await ImportAsync(grains, FashionMnist.TestImages, FashionMnist.TestLabels, 1);

        var experiment = grains.GetGrain<IExperimentGrain>($"bench-lr-{Guid.NewGuid():N}");
        var watch = Stopwatch.StartNew();
        await experiment.StartAsync(new ExperimentSpec(new DatasetRef(train), "label", "pixels", "multiclass", "logistic_regression",
            Eval: new DatasetRef(test), Params: new Dictionary<string, string> { ["max_iterations"] = $"{iterations}", ["l2"] = "0.0001" }));
        var done = await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(30));
        var platformSeconds = watch.Elapsed.TotalSeconds;
        var run = (await experiment.ListRunsAsync()).Single();
        if (done.State != "succeeded")
        {
            throw new InvalidOperationException($"The logistic regression run ended {done.State}: {run.Error}");
        }

        var (trainFeatures, trainLabels) = Read(FashionMnist.TrainImages, FashionMnist.TrainLabels);
        var (testFeatures, testLabels) = Read(FashionMnist.TestImages, FashionMnist.TestLabels);
        var ml = new MLContext(seed: 42);
        watch.Restart();
        var (model, _) = MlNetTrainer.Train(ml, "multiclass", "lbfgs_maxent", trainFeatures, 784, Array.ConvertAll(trainLabels, l => (double)l),
            new Dictionary<string, string> { ["max_iterations"] = $"{iterations}" });
        var (predicted, _) = MlNetTrainer.Predict(ml, model, "multiclass", testFeatures, 784);
        var mlnetSeconds = watch.Elapsed.TotalSeconds;
        var mlnetAccuracy = ClassificationMetrics.Compute(testLabels, predicted, [], 10).Accuracy;

        return
        [
            BenchResult.FromSamples("logistic regression, 4 partitions", "ML.NET LbfgsMaximumEntropy, 1 process", "s", false, [platformSeconds], [mlnetSeconds],
                $"{iterations} L-BFGS iterations at most on both; accuracy {run.Metrics["accuracy"]:P2} (platform, {run.Metrics["iterations"]} iterations) vs {mlnetAccuracy:P2} (ML.NET); platform time is the whole experiment (run scheduling, eval read, model write)"),
        ];
    }

    private static async Task<string> ImportAsync(IGrainFactory grains, string images, string labels, int partitions)
    {
        var name = $"bench-lr-{partitions}-{Guid.NewGuid():N}";
        var grain = grains.GetGrain<IDatasetGrain>(name);
        var operation = await grain.WaitUntilFinishedAsync((await grain.StartImportAsync(new ImportRequest(
            new DatasetSource(FashionMnist.PathOf(images), LabelsPath: FashionMnist.PathOf(labels)), Options: new ImportOptions(Partitions: partitions)))).Id, TimeSpan.FromMinutes(10));
        return operation?.State == DatasetOperation.Succeeded ? name : throw new InvalidOperationException($"Import failed: {operation?.Error}");
    }

    private static (float[] Features, long[] Labels) Read(string images, string labels) => FashionMnist.Read(images, labels);
}
