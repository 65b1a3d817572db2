using Orleans.Core.Internal;
using System.Text.Json;
using OrleansMl.Datasets;
using OrleansMl.Experiments;
using OrleansMl.Grains.Tests.Datasets;
using OrleansMl.Testing;

namespace OrleansMl.Grains.Tests.Experiments;

[Collection(DatasetClusterCollection.Name)]
public sealed class TorchTrainerTests(DatasetClusterFixture fixture)
{
    [Fact]
    public async Task ALeNetLearnsFashionMnistAndReportsEveryEpochAsItGoes()
    {
        var dataset = "torch-" + Guid.NewGuid().ToString("N")[..8];
        var (_, import) = await fixture.ImportAsync(dataset, new ImportRequest(
            new DatasetSource(FashionMnist.PathOf(FashionMnist.TestImages), LabelsPath: FashionMnist.PathOf(FashionMnist.TestLabels)),
            Options: new ImportOptions(Partitions: 3)));
        Assert.Equal(DatasetOperation.Succeeded, import.State);

        var experiment = fixture.Grains.GetGrain<IExperimentGrain>("torch-" + Guid.NewGuid().ToString("N")[..8]);
        await experiment.StartAsync(new ExperimentSpec(new DatasetRef(dataset), "label", "pixels", "multiclass", "torch",
            Params: new Dictionary<string, string>
            {
                ["network"] = "lenet", ["epochs"] = "3", ["batch_size"] = "64", ["input_scale"] = "0.00392156862745098", ["schedule"] = "cosine", ["warmup_epochs"] = "0.5",
            }));
        var done = await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(5));

        var run = Assert.Single(await experiment.ListRunsAsync());
        Assert.True(done.State == "succeeded", run.Error);
        Assert.InRange(run.Metrics["accuracy"], 0.8, 1.0); // on the rows it learned from: three epochs of a small CNN
        Assert.Equal(3, run.Metrics["epochs"]);
        var info = (await fixture.Grains.GetGrain<IRunGrain>(run.Id).GetAsync())!;
        Assert.Contains("confusion_matrix", info.Artifacts.Keys);

        // One history line per epoch, with the training loss, the learning rate, the throughput and the held-out metrics.
        var epochs = new List<JsonElement>();
        await foreach (var segment in fixture.Store.ListAsync(info.MetricHistoryPath))
        {
            await using var history = await fixture.Store.OpenReadAsync(segment.Path);
            using var reader = new StreamReader(history);
            while (await reader.ReadLineAsync() is { } line)
            {
                var entry = JsonDocument.Parse(line).RootElement;
                if (entry.ToString().Contains("samples_per_second", StringComparison.Ordinal))
                {
                    epochs.Add(entry);
                }
            }
        }

        Assert.Equal(3, epochs.Count);
        Assert.All(epochs, e => Assert.Contains("learning_rate", e.ToString(), StringComparison.Ordinal));
        Assert.All(epochs, e => Assert.Contains("accuracy", e.ToString(), StringComparison.Ordinal));

        await using var model = await fixture.Store.OpenReadAsync(info.Artifacts["model"]);
        using var bytes = new MemoryStream();
        await model.CopyToAsync(bytes);
        using var scorer = Ml.Torch.TorchScorer.Load(bytes.ToArray());
        Assert.Equal((784, 10, "lenet"), (scorer.Dimension, scorer.ScoreWidth, scorer.Spec.Network));
    }

    /// <summary>
    /// DDP's promise, checked against an independent single-process loop written here with TorchSharp: two
    /// replicas (one per partition) with batch b take the same steps as one network with batch 2b over the
    /// union of their batches, so the weights agree to float rounding.
    /// </summary>
    [Fact]
    public async Task TwoPartitionReplicasWithBatchBReachTheWeightsOfOneProcessWithBatch2B()
    {
        var artifact = $"uploads/tests/{Guid.NewGuid():N}/ddp.jsonl";
        await fixture.Store.WriteAsync(artifact, ThreeClassPoints.JsonLines(700, 17)); // 444 rows in one partition, 256 in the other
        var dataset = "ddp-" + Guid.NewGuid().ToString("N")[..8];
        var (_, import) = await fixture.ImportAsync(dataset, new ImportRequest(new DatasetSource(Artifact: artifact), Options: new ImportOptions(Partitions: 2)));
        Assert.Equal(DatasetOperation.Succeeded, import.State);

        var parameters = new Dictionary<string, string>
        {
            ["workers"] = "partitions", ["hidden"] = "8", ["dropout"] = "0", ["optimizer"] = "sgd", ["momentum"] = "0.9", ["lr"] = "0.05",
            ["batch_size"] = "8", ["epochs"] = "2", ["shuffle"] = "false",
        };
        var experiment = fixture.Grains.GetGrain<IExperimentGrain>("ddp-" + Guid.NewGuid().ToString("N")[..8]);
        await experiment.StartAsync(new ExperimentSpec(new DatasetRef(dataset), "label", "features", "multiclass", "torch",
            Eval: new DatasetRef(dataset), Params: parameters, Seed: 3));
        var done = await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(3));
        var run = Assert.Single(await experiment.ListRunsAsync());
        Assert.True(done.State == "succeeded", run.Error);
        Assert.Equal(2, run.Metrics["workers"]);
        var info = (await fixture.Grains.GetGrain<IRunGrain>(run.Id).GetAsync())!;
        var version = (await fixture.Grains.GetGrain<IDatasetGrain>(dataset).GetAsync())!.Versions[^1];
        foreach (var partition in await fixture.Grains.GetGrain<IDatasetGrain>(dataset).GetPartitionsAsync(version.Version))
        {
            Assert.Contains(partition.Silo, info.Silos); // the replicas worked where the partitions are
        }

        // The reference: one network, the same seed, each step's batch the union of the two replicas' batches.
        var parts = new List<(float[] Features, long[] Labels)>();
        for (var p = 0; p < 2; p++)
        {
            var rows = await DatasetFiles.ReadPartAsync(fixture.Store, DatasetPaths.Part(dataset, version.Version, p), default);
            parts.Add((((Data.Columns.VectorColumn)rows["features"]).Values.ToArray(), ((Data.Columns.Int64Column)rows["label"]).Values.ToArray()));
        }

        Assert.All(parts, p => Assert.True(p.Labels.Length > 100)); // both partitions have many batches
        var spec = Ml.Torch.TorchNetworkSpec.FromParameters(parameters, "multiclass", 3, 3);
        using var reference = Ml.Torch.TorchNetworks.Build(spec, 3);
        using var sgd = TorchSharp.torch.optim.SGD(reference.parameters(), 0.05, momentum: 0.9);
        var steps = (parts.Max(p => p.Labels.Length) + 7) / 8;
        for (var epoch = 0; epoch < 2; epoch++)
        {
            for (var step = 0; step < steps; step++)
            {
                var features = new List<float>();
                var labels = new List<long>();
                foreach (var (f, l) in parts)
                {
                    for (var row = step * 8; row < Math.Min((step + 1) * 8, l.Length); row++)
                    {
                        features.AddRange(f.AsSpan(row * 3, 3).ToArray());
                        labels.Add(l[row]);
                    }
                }

                using var scope = TorchSharp.torch.NewDisposeScope();
                sgd.zero_grad();
                var output = reference.forward(TorchSharp.torch.tensor(features.ToArray(), [labels.Count, 3]));
                TorchSharp.torch.nn.functional.cross_entropy(output, TorchSharp.torch.tensor(labels.ToArray())).backward();
                sgd.step();
            }
        }

        await using var content = await fixture.Store.OpenReadAsync(info.Artifacts["model"]);
        using var bytes = new MemoryStream();
        await content.CopyToAsync(bytes);
        var (_, trained) = Ml.Torch.TorchModelFile.Read(bytes.ToArray());
        using (trained)
        {
            var want = reference.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
            var got = trained.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
            Assert.Equal(want.Length, got.Length);
            var worst = want.Zip(got).Max(p => Math.Abs(p.First - p.Second));
            Assert.True(worst < 1e-4, $"the weights differ by up to {worst}");
            Assert.True(want.Zip(got).Any(p => p.First != 0), "the weights are all zero");
        }
    }

    [Fact]
    public async Task TheMedianStoppingRuleStopsARunThatLearnsNothingAndSaysWhy()
    {
        var dataset = await ImportPointsAsync("stop", 2_304, 5);

        // One at a time, so the last (a learning rate too small to learn anything) meets three finished histories.
        var experiment = fixture.Grains.GetGrain<IExperimentGrain>("stop-" + Guid.NewGuid().ToString("N")[..8]);
        await experiment.StartAsync(new ExperimentSpec(new DatasetRef(dataset), "label", "features", "multiclass", "torch",
            SearchSpace: new Dictionary<string, ParamRange> { ["lr"] = new(Values: ["0.01", "0.02", "0.03", "0.0000001"]) },
            Params: new Dictionary<string, string> { ["hidden"] = "16", ["epochs"] = "4", ["stop_rule"] = "median", ["stop_grace"] = "1", ["stop_min_runs"] = "2" },
            Strategy: "grid", MaxRuns: 4, MaxConcurrentRuns: 1));
        var done = await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(4));
        Assert.Equal("succeeded", done.State);

        var runs = (await experiment.ListRunsAsync()).OrderBy(r => r.Index).ToArray();
        Assert.All(runs[..3], r => Assert.False(r.Metrics.ContainsKey("stopped_early"), $"run {r.Index} stopped"));
        Assert.All(runs[..3], r => Assert.Equal(4, r.Metrics["epochs"]));
        var slow = runs[3];
        Assert.Equal("0.0000001", slow.Params["lr"]);
        Assert.Equal(1, slow.Metrics["stopped_early"]);
        Assert.Equal(1, slow.Metrics["epochs"]);
        var info = (await fixture.Grains.GetGrain<IRunGrain>(slow.Id).GetAsync())!;
        await using var content = await fixture.Store.OpenReadAsync(info.Artifacts["stopping"]);
        using var stopping = await JsonDocument.ParseAsync(content);
        Assert.StartsWith("median stopping rule after epoch 1", stopping.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.False(runs[..3].Any(r => r.Params.ContainsKey("stop_rule")), "the experiment's stopping parameters reached the trainer");
    }

    [Fact]
    public async Task AnAshaSweepStopsRunsBehindAtARungAndGivesTheirSlotsToNewRuns()
    {
        var dataset = await ImportPointsAsync("asha", 2_304, 7);

        // Rungs at epochs 1 and 3 (grace 1, η 3); half the learning rates learn nothing.
        var experiment = fixture.Grains.GetGrain<IExperimentGrain>("asha-" + Guid.NewGuid().ToString("N")[..8]);
        await experiment.StartAsync(new ExperimentSpec(new DatasetRef(dataset), "label", "features", "multiclass", "torch",
            SearchSpace: new Dictionary<string, ParamRange> { ["lr"] = new(Values: ["0.02", "0.0000001"]), ["hidden"] = new(Values: ["8", "16"]) },
            Params: new Dictionary<string, string> { ["epochs"] = "4" },
            Strategy: "asha", MaxRuns: 8, MaxConcurrentRuns: 2, Seed: 3));
        var done = await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(5));
        Assert.Equal("succeeded", done.State);

        var runs = (await experiment.ListRunsAsync()).OrderBy(r => r.Index).ToArray();
        Assert.Equal(8, runs.Length); // every stopped run's slot went to a new one
        var stopped = runs.Where(r => r.Metrics.ContainsKey("stopped_early")).ToArray();
        Assert.NotEmpty(stopped);
        Assert.Contains(runs, r => r.Metrics["epochs"] == 4);
        Assert.False(done.Best!.Metrics.ContainsKey("stopped_early"), "the best run was stopped");
        foreach (var run in stopped)
        {
            Assert.Contains(run.Metrics["epochs"], new[] { 1.0, 3.0 }); // stopped at a rung, never between
            var info = (await fixture.Grains.GetGrain<IRunGrain>(run.Id).GetAsync())!;
            await using var content = await fixture.Store.OpenReadAsync(info.Artifacts["stopping"]);
            using var stopping = await JsonDocument.ParseAsync(content);
            var reason = stopping.RootElement.GetProperty("reason").GetString()!;
            Assert.StartsWith("ASHA at rung", reason, StringComparison.Ordinal);

            // Behind the top third of the runs that reported that rung before it: so never the best there.
            var epoch = (int)run.Metrics["epochs"];
            var value = stopping.RootElement.GetProperty("value").GetDouble();
            Assert.Contains(runs, r => r.Index != run.Index && r.Metrics["epochs"] >= epoch && r.Metrics["accuracy"] > value);
        }

        Assert.Contains(stopped, r => r.Params["lr"] == "0.0000001");
    }

    [Fact]
    public async Task AnExperimentStartedAgainJudgesByTheEpochsItsRunsReportedBefore()
    {
        var dataset = await ImportPointsAsync("asha-again", 1_536, 13);
        var experiment = fixture.Grains.GetGrain<IExperimentGrain>("asha-again-" + Guid.NewGuid().ToString("N")[..8]);
        await experiment.StartAsync(new ExperimentSpec(new DatasetRef(dataset), "label", "features", "multiclass", "torch",
            SearchSpace: new Dictionary<string, ParamRange> { ["lr"] = new(Values: ["0.02", "0.03"]) },
            Params: new Dictionary<string, string> { ["epochs"] = "2", ["stop_rule"] = "asha" },
            MaxRuns: 2, MaxConcurrentRuns: 2, Seed: 5));
        Assert.Equal("succeeded", (await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(3))).State);

        // The grain starts again (as when its silo dies) and knows nothing in memory. Run 0 reporting epoch 1 again, far worse,
        // is judged against run 1's epoch-1 value, read back from run 1's metric history; without it there is nothing to judge by.
        await experiment.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var reason = await experiment.ReportEpochAsync(0, 1, 0.0);

        Assert.NotNull(reason);
        Assert.StartsWith("ASHA at rung 0 (epoch 1)", reason, StringComparison.Ordinal);
        Assert.Contains("of the 1 other runs", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANetworkRegisteredInTheSilosTrainsByNameAndItsModelServes()
    {
        var dataset = await ImportPointsAsync("tanh", 1_536, 11);

        var experiment = fixture.Grains.GetGrain<IExperimentGrain>("tanh-" + Guid.NewGuid().ToString("N")[..8]);
        await experiment.StartAsync(new ExperimentSpec(new DatasetRef(dataset), "label", "features", "multiclass", "torch",
            Params: new Dictionary<string, string> { ["network"] = "tanh_layer", ["hidden"] = "12", ["epochs"] = "8", ["lr"] = "0.02" }));
        var done = await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(3));
        var run = Assert.Single(await experiment.ListRunsAsync());
        Assert.True(done.State == "succeeded", run.Error);
        Assert.InRange(run.Metrics["accuracy"], 0.9, 1.0);

        // The model is the registered network, and the predictor grains (in silos that know it) answer with it.
        var info = (await fixture.Grains.GetGrain<IRunGrain>(run.Id).GetAsync())!;
        await using (var content = await fixture.Store.OpenReadAsync(info.Artifacts["model"]))
        using (var bytes = new MemoryStream())
        {
            await content.CopyToAsync(bytes);
            using var scorer = Ml.Torch.TorchScorer.Load(bytes.ToArray());
            Assert.Equal("tanh_layer", scorer.Spec.Network);
        }

        var model = "tanh-model-" + Guid.NewGuid().ToString("N")[..8];
        var version = await fixture.Grains.GetGrain<OrleansMl.Models.IModelGrain>(model).RegisterAsync(new OrleansMl.Models.ModelSource(experiment.GetPrimaryKeyString(), run.Index), "ana");
        Assert.Equal("torch", version.Flavor);
        float[] points = [0.5f, 0.5f, 0.5f, 1.5f, -0.5f, 0.5f, 2.5f, -1.5f, 0.5f]; // one point of each class, at its centre
        var prediction = await fixture.Grains.GetGrain<OrleansMl.Serving.IPredictorGrain>(OrleansMl.Serving.IPredictorGrain.KeyOf(model, 1)).PredictAsync(new OrleansMl.Serving.PredictionInput(points, 3));
        Assert.Equal([0L, 1L, 2L], prediction.Labels);

        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Grains.GetGrain<IExperimentGrain>("tanh-bad-" + Guid.NewGuid().ToString("N")[..8])
            .StartAsync(new ExperimentSpec(new DatasetRef(dataset), "label", "features", "multiclass", "torch", Params: new Dictionary<string, string> { ["network"] = "tanh_layers" })));
        Assert.Contains("tanh_layer", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EarlyStoppingIsRefusedForATrainerThatDoesNotReportEpochs()
    {
        var dataset = await Models.BlobExperiments.DatasetAsync(fixture);
        var experiment = fixture.Grains.GetGrain<IExperimentGrain>("asha-knn-" + Guid.NewGuid().ToString("N")[..8]);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => experiment.StartAsync(new ExperimentSpec(new DatasetRef(dataset), "label", "features", "multiclass", "knn",
            Strategy: "asha", MaxRuns: 2)));
        Assert.Contains("reports every epoch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadTorchParametersAreRefusedBeforeAnyRunStarts()
    {
        var dataset = await Models.BlobExperiments.DatasetAsync(fixture);
        var experiment = fixture.Grains.GetGrain<IExperimentGrain>("torch-bad-" + Guid.NewGuid().ToString("N")[..8]);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => experiment.StartAsync(new ExperimentSpec(new DatasetRef(dataset), "label", "features", "multiclass", "torch",
            Params: new Dictionary<string, string> { ["optimizer"] = "lion" })));
        Assert.Contains("params.optimizer", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Imports <see cref="ThreeClassPoints"/> as a new dataset named from <paramref name="prefix"/>.</summary>
    private async Task<string> ImportPointsAsync(string prefix, int rows, int seed)
    {
        var artifact = $"uploads/tests/{Guid.NewGuid():N}/{prefix}.jsonl";
        await fixture.Store.WriteAsync(artifact, ThreeClassPoints.JsonLines(rows, seed));
        var dataset = prefix + "-" + Guid.NewGuid().ToString("N")[..8];
        var (_, import) = await fixture.ImportAsync(dataset, new ImportRequest(new DatasetSource(Artifact: artifact)));
        Assert.Equal(DatasetOperation.Succeeded, import.State);
        return dataset;
    }
}
