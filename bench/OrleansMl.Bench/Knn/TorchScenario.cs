using System.Diagnostics;
using OrleansMl.Bench.Measurement;
using OrleansMl.Datasets;
using OrleansMl.Experiments;
using OrleansMl.Ml.Torch;
using OrleansMl.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace OrleansMl.Bench.Knn;

/// <summary>
/// The LeNet-sized CNN on Fashion-MNIST (60,000 training images, the 10,000 test images to score): through
/// the platform as an experiment's torch run with one worker (the run's silo) and with two data-parallel
/// replicas (one per training partition), against a plain TorchSharp loop in this process over the same
/// network definition, rows, batch size, optimiser and epochs. Compared: training throughput (samples/s,
/// the median over the run's epochs against the loop's) and test accuracy; the all-reduce's cost per step is reported.
/// </summary>
internal static class TorchScenario
{
    private const double PixelScale = 1.0 / 255;

    public static async Task<BenchResult[]> RunAsync(IGrainFactory grains, BenchSettings settings)
    {
        var epochs = settings.Name == "quick" ? 1 : 8;
        var parameters = new Dictionary<string, string>
        {
            ["network"] = "lenet", ["epochs"] = $"{epochs}", ["batch_size"] = "64", ["optimizer"] = "adam", ["lr"] = "0.001",
            ["schedule"] = "cosine", ["input_scale"] = $"{PixelScale:R}",
        };
        var train = await ImportAsync(grains, FashionMnist.TrainImages, FashionMnist.TrainLabels, 2);
        var test = await ImportAsync(grains, FashionMnist.TestImages, FashionMnist.TestLabels, 1);
        var one = await RunAsync(grains, train, test, parameters);
        var two = await RunAsync(grains, train, test, new Dictionary<string, string>(parameters) { ["workers"] = "partitions" });

        var (plainRate, plainAccuracy) = PlainLoop(parameters, epochs);
        var note = $"LeNet (2 conv + 2 dense), Adam 0.001 cosine, batch 64, {epochs} epoch(s) of 60,000 images on {Environment.ProcessorCount} cores; "
            + $"test accuracy: platform 1 worker {one.Metrics["accuracy"]:P2}, 2 workers {two.Metrics["accuracy"]:P2}, plain loop {plainAccuracy:P2}";
        return
        [
            BenchResult.FromSamples("torch CNN training, 1 worker (samples/s)", "plain TorchSharp loop, 1 process", "samples/s", true,
                [one.Metrics["samples_per_second_median"]], [plainRate], note),
            BenchResult.FromSamples("torch CNN training, 2 data-parallel workers (samples/s)", "plain TorchSharp loop, 1 process", "samples/s", true,
                [two.Metrics["samples_per_second_median"]], [plainRate],
                $"two replicas on the same {Environment.ProcessorCount} cores (one per training partition); all-reduce {two.Metrics["allreduce_ms_per_step"]:F2} ms a step beyond the slowest replica's work"),
        ];
    }

    private static async Task<RunSummary> RunAsync(IGrainFactory grains, string train, string test, Dictionary<string, string> parameters)
    {
        var experiment = grains.GetGrain<IExperimentGrain>($"bench-torch-{Guid.NewGuid():N}");
        await experiment.StartAsync(new ExperimentSpec(new DatasetRef(train), "label", "pixels", "multiclass", "torch", Eval: new DatasetRef(test), Params: parameters));
        var done = await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(60));
        var run = (await experiment.ListRunsAsync()).Single();
        return done.State == "succeeded" ? run : throw new InvalidOperationException($"The torch run ended {done.State}: {run.Error}");
    }

    /// <summary>The reference: the same network trained by a loop written straight against TorchSharp; the median samples/s of its epochs, and test accuracy.</summary>
    private static (double Rate, double Accuracy) PlainLoop(Dictionary<string, string> parameters, int epochs)
    {
        var (features, labels) = FashionMnist.Read(FashionMnist.TrainImages, FashionMnist.TrainLabels);
        var (testFeatures, testLabels) = FashionMnist.Read(FashionMnist.TestImages, FashionMnist.TestLabels);
        var spec = TorchNetworkSpec.FromParameters(parameters, "multiclass", 784, 10);
        using var network = TorchNetworks.Build(spec, 42);
        using var adam = optim.Adam(network.parameters(), 0.001);
        var rows = labels.Length;
        var steps = (rows + 63) / 64;
        var rates = new List<double>();
        var random = new Random(42);
        var order = Enumerable.Range(0, rows).ToArray();
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order);
            network.train();
            var watch = Stopwatch.StartNew();
            for (var step = 0; step < steps; step++)
            {
                var count = Math.Min(64, rows - (step * 64));
                var batch = new float[count * 784];
                var classes = new long[count];
                for (var i = 0; i < count; i++)
                {
                    var row = order[(step * 64) + i];
                    features.AsSpan(row * 784, 784).CopyTo(batch.AsSpan(i * 784, 784));
                    classes[i] = labels[row];
                }

                foreach (var group in adam.ParamGroups)
                {
                    group.LearningRate = 0.001 * 0.5 * (1 + Math.Cos(Math.PI * ((double)((epoch * steps) + step) / steps) / epochs));
                }

                using var scope = NewDisposeScope();
                adam.zero_grad();
                var loss = nn.functional.cross_entropy(network.forward(tensor(batch, [count, 784])), tensor(classes));
                loss.backward();
                adam.step();
            }

            rates.Add(rows / watch.Elapsed.TotalSeconds);
        }

        network.eval();
        var predicted = new long[testLabels.Length];
        TorchTraining.Predict(network, spec, testFeatures, predicted, new float[testLabels.Length * 10]);
        return (Stats.Median([.. rates]), predicted.Zip(testLabels).Count(p => p.First == p.Second) / (double)testLabels.Length);
    }

    private static async Task<string> ImportAsync(IGrainFactory grains, string images, string labels, int partitions)
    {
        var name = $"bench-torch-{partitions}-{Guid.NewGuid():N}";
        var grain = grains.GetGrain<IDatasetGrain>(name);
        var operation = await grain.WaitUntilFinishedAsync((await grain.StartImportAsync(new ImportRequest(
            new DatasetSource(FashionMnist.PathOf(images), LabelsPath: FashionMnist.PathOf(labels)), Options: new ImportOptions(Partitions: partitions)))).Id, TimeSpan.FromMinutes(10));
        return operation?.State == DatasetOperation.Succeeded ? name : throw new InvalidOperationException($"Import failed: {operation?.Error}");
    }
}
