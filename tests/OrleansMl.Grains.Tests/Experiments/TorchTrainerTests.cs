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
                ["network"] = "lenet", ["epochs"] = "2", ["batch_size"] = "64", ["input_scale"] = "0.00392156862745098", ["schedule"] = "cosine", ["warmup_epochs"] = "0.5",
            }));
        var done = await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(5));

        var run = Assert.Single(await experiment.ListRunsAsync());
        Assert.True(done.State == "succeeded", run.Error);
        Assert.InRange(run.Metrics["accuracy"], 0.8, 1.0); // on the rows it learned from: two epochs of a small CNN
        Assert.Equal(2, run.Metrics["epochs"]);
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

        Assert.Equal(2, epochs.Count);
        Assert.All(epochs, e => Assert.Contains("learning_rate", e.ToString(), StringComparison.Ordinal));
        Assert.All(epochs, e => Assert.Contains("accuracy", e.ToString(), StringComparison.Ordinal));

        await using var model = await fixture.Store.OpenReadAsync(info.Artifacts["model"]);
        using var bytes = new MemoryStream();
        await model.CopyToAsync(bytes);
        using var scorer = Ml.Torch.TorchScorer.Load(bytes.ToArray());
        Assert.Equal((784, 10, "lenet"), (scorer.Dimension, scorer.ScoreWidth, scorer.Spec.Network));
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
}
