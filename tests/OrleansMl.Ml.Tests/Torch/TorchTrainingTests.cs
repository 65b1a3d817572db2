using OrleansMl.Ml.Serving;
using OrleansMl.Ml.Torch;
using static TorchSharp.torch;

namespace OrleansMl.Ml.Tests.Torch;

/// <summary>The torch networks, their training and their model file, on LibTorch itself (CPU).</summary>
public sealed class TorchTrainingTests
{
    private static Dictionary<string, string> Params(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    /// <summary>Three Gaussian blobs in <paramref name="dimension"/> dimensions, class = blob.</summary>
    private static (float[] Features, long[] Classes) Blobs(int rows, int dimension, int seed)
    {
        var random = new Random(seed);
        var features = new float[rows * dimension];
        var classes = new long[rows];
        for (var i = 0; i < rows; i++)
        {
            classes[i] = i % 3;
            for (var d = 0; d < dimension; d++)
            {
                var centre = d % 3 == classes[i] ? 2.0 : 0.0;
                features[(i * dimension) + d] = (float)(centre + (random.NextDouble() - 0.5) * 2);
            }
        }

        return (features, classes);
    }

    /// <summary>
    /// 12×12 one-channel images, dark with one bright 4×4 square in a quadrant; class = quadrant (or, with
    /// <paramref name="halves"/>, top or bottom: what survives flips and shifts). Pixels 0-255.
    /// </summary>
    private static (float[] Features, long[] Classes) Squares(int rows, int seed, bool halves = false)
    {
        var random = new Random(seed);
        var features = new float[rows * 144];
        var classes = new long[rows];
        for (var i = 0; i < rows; i++)
        {
            var quadrant = random.Next(4);
            classes[i] = halves ? quadrant / 2 : quadrant;
            var (oy, ox) = (quadrant / 2 * 6 + random.Next(3), quadrant % 2 * 6 + random.Next(3));
            for (var p = 0; p < 144; p++)
            {
                features[(i * 144) + p] = random.Next(40);
            }

            for (var y = 0; y < 4; y++)
            {
                for (var x = 0; x < 4; x++)
                {
                    features[(i * 144) + ((oy + y) * 12) + ox + x] = 200 + random.Next(56);
                }
            }
        }

        return (features, classes);
    }

    private static double Accuracy(TorchScorer scorer, float[] features, long[] classes)
    {
        var labels = new long[classes.Length];
        scorer.Score(features, labels, new float[classes.Length * scorer.ScoreWidth]);
        return labels.Zip(classes).Count(p => p.First == p.Second) / (double)classes.Length;
    }

    private static async Task<TorchScorer> TrainAsync(TorchNetworkSpec spec, TorchTrainingOptions options, float[] features, long[]? classes, float[]? targets, List<TorchEpoch>? epochs = null)
    {
        using var network = TorchNetworks.Build(spec, options.Seed);
        await TorchTraining.TrainAsync(network, spec, options, features, classes, targets, null, (e, _) => { epochs?.Add(e); return Task.FromResult(true); }, default);
        return TorchScorer.Load(TorchModelFile.Write(spec, network));
    }

    [Fact]
    public async Task AnMlpLearnsBlobsAndItsModelFileAnswersAsTheNetworkDid()
    {
        var (features, classes) = Blobs(900, 6, 1);
        var (testFeatures, testClasses) = Blobs(300, 6, 2);
        var spec = TorchNetworkSpec.FromParameters(Params(("hidden", "32")), "multiclass", 6, 3);
        var options = TorchTrainingOptions.FromParameters(Params(("epochs", "8"), ("batch_size", "32"), ("lr", "0.01")), seed: 5);
        using var network = TorchNetworks.Build(spec, 5);
        var epochs = new List<TorchEpoch>();
        await TorchTraining.TrainAsync(network, spec, options, features, classes, null, null, (e, _) => { epochs.Add(e); return Task.FromResult(true); }, default);

        Assert.Equal(8, epochs.Count);
        Assert.True(epochs[^1].Loss < epochs[0].Loss, $"loss went from {epochs[0].Loss} to {epochs[^1].Loss}");
        Assert.All(epochs, e => Assert.True(e.SamplesPerSecond > 0));

        network.eval();
        var direct = new long[300];
        var directScores = new float[900];
        TorchTraining.Predict(network, spec, testFeatures, direct, directScores);
        using var scorer = TorchScorer.Load(TorchModelFile.Write(spec, network));
        var loadedLabels = new long[300];
        var loadedScores = new float[900];
        scorer.Score(testFeatures, loadedLabels, loadedScores);
        Assert.Equal(direct, loadedLabels);
        Assert.Equal(directScores, loadedScores);
        Assert.Equal(ScorerKind.Multiclass, scorer.Kind);
        Assert.Equal(3, scorer.ScoreWidth);
        Assert.True(Accuracy(scorer, testFeatures, testClasses) > 0.95);
        for (var row = 0; row < 300; row++)
        {
            Assert.Equal(1.0, loadedScores.AsSpan(row * 3, 3).ToArray().Sum(), 4); // softmax probabilities
        }
    }

    [Theory]
    [InlineData("lenet", "none")]
    [InlineData("lenet", "crop_flip")]
    [InlineData("resnet", "none")]
    public async Task ConvolutionalNetworksLearnWhereTheSquareIs(string network, string augment)
    {
        var halves = augment != "none";
        var (features, classes) = Squares(1_200, 3, halves);
        var (testFeatures, testClasses) = Squares(300, 4, halves);
        var spec = TorchNetworkSpec.FromParameters(Params(("network", network), ("input_scale", "0.00392156862745098")), "multiclass", 144, halves ? 2 : 4);
        Assert.Equal((1, 12, 12), (spec.Channels, spec.Height, spec.Width)); // a square dimension reads as one-channel images
        var options = TorchTrainingOptions.FromParameters(Params(("epochs", "6"), ("batch_size", "32"), ("augment", augment), ("schedule", "cosine")), seed: 7);
        using var scorer = await TrainAsync(spec, options, features, classes, null);
        // With flips and shifts the classes are top and bottom (a flip would swap left and right).
        var accuracy = Accuracy(scorer, testFeatures, testClasses);
        Assert.True(accuracy > 0.9, $"{network} {augment}: accuracy {accuracy}");
    }

    [Fact]
    public async Task BinaryAndRegressionNetworksLearnTheirTargets()
    {
        var random = new Random(9);
        var features = new float[800 * 2];
        var binary = new long[800];
        var values = new float[800];
        for (var i = 0; i < 800; i++)
        {
            var (x, y) = ((float)(random.NextDouble() * 4 - 2), (float)(random.NextDouble() * 4 - 2));
            (features[i * 2], features[(i * 2) + 1]) = (x, y);
            binary[i] = x + y > 0 ? 1 : 0;
            values[i] = (3 * x) - (2 * y) + 1;
        }

        var options = TorchTrainingOptions.FromParameters(Params(("epochs", "30"), ("batch_size", "32"), ("lr", "0.01")), seed: 1);
        using var classifier = await TrainAsync(TorchNetworkSpec.FromParameters(Params(("hidden", "16")), "binary", 2, 2), options, features, binary, null);
        Assert.Equal(ScorerKind.Binary, classifier.Kind);
        Assert.True(Accuracy(classifier, features, binary) > 0.95);

        using var regressor = await TrainAsync(TorchNetworkSpec.FromParameters(Params(("hidden", "16"), ("dropout", "0")), "regression", 2, 0), options, features, null, values);
        var predicted = new float[800];
        regressor.Score(features, [], predicted);
        var rmse = Math.Sqrt(predicted.Zip(values).Average(p => (p.First - p.Second) * (p.First - p.Second)));
        Assert.True(rmse < 0.3, $"rmse {rmse}"); // the targets' own spread is about 4
    }

    [Fact]
    public async Task OneSgdStepOfALinearRegressionMovesTheWeightsByTheHandComputedGradient()
    {
        // No hidden layer: the network is y = w·x + b, the loss mean((y - t)²); its gradient is written out here.
        var features = new float[] { 1, 2, -1, 0.5f, 3, -2, 0, 1 };
        var targets = new float[] { 1, -1, 2, 0.5f };
        var spec = TorchNetworkSpec.FromParameters(Params(("hidden", ""), ("dropout", "0")), "regression", 2, 0);
        var options = TorchTrainingOptions.FromParameters(Params(("epochs", "1"), ("batch_size", "4"), ("optimizer", "sgd"), ("momentum", "0"), ("lr", "0.1")), seed: 3);
        using var network = TorchNetworks.Build(spec, 3);
        var parameters = network.parameters().ToArray();
        var w = parameters[0].data<float>().ToArray();
        var b = parameters[1].data<float>().ToArray()[0];
        var (gw0, gw1, gb) = (0.0, 0.0, 0.0);
        for (var i = 0; i < 4; i++)
        {
            var error = (w[0] * features[i * 2]) + (w[1] * features[(i * 2) + 1]) + b - targets[i];
            gw0 += 2 * error * features[i * 2] / 4;
            gw1 += 2 * error * features[(i * 2) + 1] / 4;
            gb += 2 * error / 4;
        }

        await TorchTraining.TrainAsync(network, spec, options, features, null, targets, null, (_, _) => Task.FromResult(true), default);
        var after = network.parameters().ToArray();
        Assert.Equal(w[0] - (0.1 * gw0), after[0].data<float>().ToArray()[0], 5);
        Assert.Equal(w[1] - (0.1 * gw1), after[0].data<float>().ToArray()[1], 5);
        Assert.Equal(b - (0.1 * gb), after[1].data<float>().ToArray()[0], 5);
    }

    [Fact]
    public void TheSameSeedBuildsTheSameWeights()
    {
        var spec = TorchNetworkSpec.FromParameters(Params(("network", "lenet")), "multiclass", 144, 4);
        using var a = TorchNetworks.Build(spec, 11);
        using var b = TorchNetworks.Build(spec, 11);
        using var c = TorchNetworks.Build(spec, 12);
        var (pa, pb, pc) = (a.parameters().First().data<float>().ToArray(), b.parameters().First().data<float>().ToArray(), c.parameters().First().data<float>().ToArray());
        Assert.Equal(pa, pb);
        Assert.NotEqual(pa, pc);
    }

    [Fact]
    public void LearningRateSchedulesFollowTheirFormulas()
    {
        var step = new LearningRateSchedule("step", 0.1, 9, 3, 0.5, 0);
        Assert.Equal(0.1, step.At(0, 10), 12);
        Assert.Equal(0.1, step.At(29, 10), 12);
        Assert.Equal(0.05, step.At(30, 10), 12);
        Assert.Equal(0.025, step.At(60, 10), 12);

        var cosine = new LearningRateSchedule("cosine", 0.2, 4, 1, 0.1, 0);
        Assert.Equal(0.2, cosine.At(0, 5), 12);
        Assert.Equal(0.1, cosine.At(10, 5), 12); // half way
        Assert.Equal(0.0, cosine.At(20, 5), 12);

        var warm = new LearningRateSchedule("constant", 0.4, 10, 1, 0.1, 2);
        Assert.Equal(0.4 / 20, warm.At(0, 10), 12);
        Assert.Equal(0.4 * 10 / 20, warm.At(9, 10), 12);
        Assert.Equal(0.4, warm.At(20, 10), 12);
    }

    [Fact]
    public void CropAndFlipMovesPixelsAndNeverInventsThem()
    {
        var image = Enumerable.Range(1, 64).Select(v => (float)v).ToArray(); // 1×8×8, every pixel distinct
        for (var seed = 0; seed < 20; seed++)
        {
            var copy = (float[])image.Clone();
            ImageAugmentation.CropAndFlip(copy, 1, 8, 8, new Random(seed));
            Assert.All(copy, v => Assert.True(v == 0 || image.Contains(v)));
            Assert.True(copy.Count(v => v != 0) >= 49); // a shift of at most one pixel each way keeps a 7×7 block
            Assert.Equal(copy.Where(v => v != 0).Distinct().Count(), copy.Count(v => v != 0));
        }
    }

    [Theory]
    [InlineData("network", "transformer", "params.network")]
    [InlineData("hidden", "64,x", "params.hidden")]
    [InlineData("dropout", "1", "params.dropout")]
    [InlineData("image", "3x9x9", "params.image")]
    public void BadNetworkParametersAreRefusedByName(string key, string value, string named)
    {
        var parameters = Params(("network", key == "image" ? "lenet" : "mlp"));
        parameters[key] = value;
        var error = Assert.Throws<ArgumentException>(() => TorchNetworkSpec.FromParameters(parameters, "multiclass", 144, 4));
        Assert.Contains(named, error.Message);
    }

    [Theory]
    [InlineData("epochs", "0")]
    [InlineData("optimizer", "lion")]
    [InlineData("lr", "-1")]
    [InlineData("schedule", "onecycle")]
    [InlineData("augment", "mixup")]
    [InlineData("batch_size", "1e3")]
    public void BadTrainingParametersAreRefusedByName(string key, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => TorchTrainingOptions.FromParameters(Params((key, value)), 1));
        Assert.Contains($"params.{key}", error.Message);
    }

    [Fact]
    public void WhatIsNotATorchModelIsRefusedAsInvalidData()
    {
        var spec = TorchNetworkSpec.FromParameters(Params(("hidden", "8")), "multiclass", 4, 3);
        using var network = TorchNetworks.Build(spec, 1);
        var bytes = TorchModelFile.Write(spec, network);
        Assert.Throws<InvalidDataException>(() => TorchScorer.Load([1, 2, 3]));
        Assert.Throws<InvalidDataException>(() => TorchScorer.Load(bytes[..(bytes.Length / 2)]));
        var huge = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(bytes).Replace("\"Hidden\":[8]", "\"Hidden\":[99999]", StringComparison.Ordinal));
        Assert.Throws<InvalidDataException>(() => TorchScorer.Load(huge));
        using var loaded = TorchScorer.Load(bytes);
        Assert.Equal(4, loaded.Dimension);
    }
}

/// <summary>Data-parallel replicas (<see cref="TorchWorker"/>) against one process, without grains between them.</summary>
public sealed class TorchWorkerTests
{
    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    public void ThreeReplicasWithBatchBTakeTheStepsOfOneNetworkWithBatch3B(string optimizer)
    {
        var random = new Random(2);
        var shards = Enumerable.Range(0, 3).Select(s =>
        {
            var rows = 40 + (s * 7); // unequal: the small shards run out first in each epoch
            var features = Enumerable.Range(0, rows * 4).Select(_ => (float)random.NextDouble()).ToArray();
            var classes = Enumerable.Range(0, rows).Select(r => (long)((features[r * 4] + features[(r * 4) + 1]) > 1 ? 1 : 0)).ToArray();
            return (Features: features, Classes: classes);
        }).ToArray();
        var parameters = new Dictionary<string, string> { ["hidden"] = "6", ["dropout"] = "0", ["optimizer"] = optimizer, ["batch_size"] = "5", ["shuffle"] = "false", ["lr"] = "0.05" };
        var spec = TorchNetworkSpec.FromParameters(parameters, "multiclass", 4, 2);
        var options = TorchTrainingOptions.FromParameters(parameters, 9);
        var replicas = shards.Select((s, i) => new TorchWorker(spec, options, s.Features, s.Classes, null, i)).ToArray();
        try
        {
            using var single = TorchNetworks.Build(spec, 9);
            using var reference = TorchTraining.CreateOptimizer(single, options);
            var steps = (shards.Max(s => s.Classes.Length) + 4) / 5;
            for (var epoch = 0; epoch < 2; epoch++)
            {
                for (var step = 0; step < steps; step++)
                {
                    var parts = replicas.Select(r => r.ComputeGradient(epoch, step)).ToArray();
                    var rows = parts.Sum(p => p.Rows);
                    var average = new float[replicas[0].ParameterCount];
                    foreach (var part in parts.Where(p => p.Rows > 0))
                    {
                        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(part.Gradient, (float)part.Rows / rows, average, average);
                    }

                    foreach (var replica in replicas)
                    {
                        replica.ApplyGradient(average, 0.05);
                    }

                    // One network over the union of the three batches.
                    var features = new List<float>();
                    var classes = new List<long>();
                    foreach (var (f, c) in shards)
                    {
                        for (var row = step * 5; row < Math.Min((step + 1) * 5, c.Length); row++)
                        {
                            features.AddRange(f.AsSpan(row * 4, 4).ToArray());
                            classes.Add(c[row]);
                        }
                    }

                    using var scope = NewDisposeScope();
                    reference.zero_grad();
                    TorchTraining.Loss("multiclass", single.forward(tensor(features.ToArray(), [classes.Count, 4])), tensor(classes.ToArray())).backward();
                    reference.step();
                }
            }

            var want = single.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
            foreach (var replica in replicas)
            {
                var got = replica.Weights();
                Assert.Equal(replicas[0].Weights(), got); // every replica holds the same weights, bit for bit
                var worst = want.Zip(got).Max(p => Math.Abs(p.First - p.Second));
                Assert.True(worst < 1e-5, $"{optimizer}: a replica's weights differ from one process's by up to {worst}");
            }
        }
        finally
        {
            foreach (var replica in replicas)
            {
                replica.Dispose();
            }
        }
    }

    [Fact]
    public void AReplicaStartedFromACheckpointTakesTheStepsTheOriginalWouldHaveTaken()
    {
        var random = new Random(8);
        var features = Enumerable.Range(0, 60 * 4).Select(_ => (float)random.NextDouble()).ToArray();
        var classes = Enumerable.Range(0, 60).Select(r => (long)(features[r * 4] > 0.5 ? 1 : 0)).ToArray();
        var parameters = new Dictionary<string, string> { ["hidden"] = "6", ["dropout"] = "0", ["optimizer"] = "adam", ["batch_size"] = "6" };
        var spec = TorchNetworkSpec.FromParameters(parameters, "multiclass", 4, 2);
        var options = TorchTrainingOptions.FromParameters(parameters, 4);
        using var original = new TorchWorker(spec, options, features, classes, null, 0);
        void Step(TorchWorker worker, int batch)
        {
            var (gradient, _, _) = worker.ComputeGradient(0, batch);
            worker.ApplyGradient(gradient, 0.01);
        }

        for (var batch = 0; batch < 4; batch++)
        {
            Step(original, batch);
        }

        var checkpoint = TorchCheckpoint.FromBytes(new TorchCheckpoint(4, 0, 4, original.ModelFile(), original.OptimizerState()).ToBytes());
        Assert.Equal((4L, 0, 4), (checkpoint.Step, checkpoint.Epoch, checkpoint.Batch));
        using var restored = new TorchWorker(spec, options, features, classes, null, 0);
        restored.Restore(checkpoint.Model, checkpoint.Optimizer);
        using var fresh = new TorchWorker(spec, options, features, classes, null, 0);
        using var blank = new TorchWorker(spec, options, features, classes, null, 0);
        fresh.Restore(checkpoint.Model, blank.OptimizerState()); // weights only: Adam's moments start again
        Assert.Equal(original.Weights(), restored.Weights());
        for (var batch = 4; batch < 8; batch++)
        {
            Step(original, batch);
            Step(restored, batch);
            Step(fresh, batch);
        }

        Assert.Equal(original.Weights(), restored.Weights()); // the optimiser's state came back too, bit for bit
        Assert.NotEqual(original.Weights(), fresh.Weights()); // without it the steps differ: the test can tell

        Assert.Throws<InvalidDataException>(() => TorchCheckpoint.FromBytes([1, 2, 3]));
        var bytes = checkpoint.ToBytes();
        Assert.Throws<InvalidDataException>(() => TorchCheckpoint.FromBytes(bytes[..(bytes.Length - 10)]));
        var sgd = TorchTrainingOptions.FromParameters(new Dictionary<string, string>(parameters) { ["optimizer"] = "sgd" }, 4);
        using var other = new TorchWorker(spec, sgd, features, classes, null, 0);
        Assert.Throws<InvalidDataException>(() => other.Restore(checkpoint.Model, checkpoint.Optimizer)); // Adam's state into SGD
    }

    [Fact]
    public async Task ATrainingResumedFromAnEpochsCheckpointEndsWithTheWeightsOfOneThatNeverStopped()
    {
        var random = new Random(3);
        var features = Enumerable.Range(0, 600 * 6).Select(i => (float)(((i / 6 % 3) == (i % 6 % 3) ? 2 : 0) + random.NextDouble())).ToArray();
        var classes = Enumerable.Range(0, 600).Select(i => (long)(i % 3)).ToArray();
        var spec = TorchNetworkSpec.FromParameters(new Dictionary<string, string> { ["hidden"] = "16", ["dropout"] = "0" }, "multiclass", 6, 3);
        var options = TorchTrainingOptions.FromParameters(new Dictionary<string, string> { ["epochs"] = "3", ["batch_size"] = "32", ["schedule"] = "cosine" }, 9);

        // Straight through, keeping the checkpoint of epoch 1's end.
        using var straight = TorchNetworks.Build(spec, options.Seed);
        TorchCheckpoint? afterFirst = null;
        await TorchTraining.TrainAsync(straight, spec, options, features, classes, null, null, (epoch, optimizer) =>
        {
            afterFirst ??= new TorchCheckpoint(epoch.Steps, epoch.Epoch, 0, TorchModelFile.Write(spec, straight), optimizer());
            return Task.FromResult(true);
        }, default);

        // A fresh network (other weights) going on from that checkpoint trains epochs 2 and 3 only, to the same weights.
        using var resumed = TorchNetworks.Build(spec, options.Seed + 1);
        var epochs = new List<int>();
        await TorchTraining.TrainAsync(resumed, spec, options, features, classes, null, TorchCheckpoint.FromBytes(afterFirst!.ToBytes()), (epoch, _) =>
        {
            epochs.Add(epoch.Epoch);
            return Task.FromResult(true);
        }, default);

        Assert.Equal([2, 3], epochs);
        Assert.Equal(TorchModelFile.Write(spec, straight), TorchModelFile.Write(spec, resumed));
    }
}
