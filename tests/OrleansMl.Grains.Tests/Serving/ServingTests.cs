using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML;
using OrleansMl.Datasets;
using OrleansMl.Grains.Tests.Datasets;
using OrleansMl.Grains.Tests.Models;
using OrleansMl.Ml.MlNet;
using OrleansMl.Models;
using OrleansMl.Serving;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Grains.Tests.Serving;

[Collection(DatasetClusterCollection.Name)]
public sealed class ServingTests(DatasetClusterFixture fixture)
{
    private static readonly Dictionary<string, string> MaxEnt = new() { ["algorithm"] = "lbfgs_maxent" };

    [Theory]
    [InlineData("knn", "knn")]
    [InlineData("logistic_regression", "linear")]
    [InlineData("mlnet", "mlnet")]
    [InlineData("tree_ensemble", "ensemble")]
    [InlineData("torch", "torch")]
    public async Task EveryTrainersModelServesThroughItsPredictor(string trainer, string flavor)
    {
        var dataset = await BlobExperiments.DatasetAsync(fixture);
        var parameters = trainer switch
        {
            "tree_ensemble" => new Dictionary<string, string> { ["min_data_per_leaf"] = "5", ["num_iterations"] = "20" },
            "mlnet" => MaxEnt,
            "torch" => new Dictionary<string, string> { ["hidden"] = "16", ["epochs"] = "20", ["lr"] = "0.01", ["batch_size"] = "16" },
            _ => null,
        };
        var experiment = await BlobExperiments.RunAsync(fixture, dataset, trainer, parameters: parameters);

        // Every classifier keeps its confusion matrix ([true][predicted]), and it agrees with the run's accuracy.
        var run = Assert.Single(await fixture.Grains.GetGrain<OrleansMl.Experiments.IExperimentGrain>(experiment).ListRunsAsync());
        var artifacts = (await fixture.Grains.GetGrain<OrleansMl.Experiments.IRunGrain>(run.Id).GetAsync())!.Artifacts;
        long[][] confusion;
        await using (var content = await fixture.Store.OpenReadAsync(artifacts["confusion_matrix"]))
        {
            confusion = (await System.Text.Json.JsonSerializer.DeserializeAsync<long[][]>(content))!;
        }

        Assert.All(confusion, row => Assert.Equal(2, row.Length));
        Assert.Equal(2, confusion.Length);
        Assert.Equal(run.Metrics["accuracy"], (double)(confusion[0][0] + confusion[1][1]) / confusion.Sum(row => row.Sum()), 12);

        var model = NewName("model");
        var version = await fixture.Grains.GetGrain<IModelGrain>(model).RegisterAsync(new ModelSource(experiment, 0), "ana");
        Assert.Equal(flavor, version.Flavor);
        Assert.StartsWith($"models/{model}/1/", version.ArtifactPath, StringComparison.Ordinal); // served from the registry's copy

        var (features, labels) = await RowsAsync(dataset);
        var predictor = fixture.Grains.GetGrain<IPredictorGrain>(IPredictorGrain.KeyOf(model, 1));
        var info = await predictor.LoadAsync();
        Assert.Equal(("multiclass", 2, 2), (info.Kind, info.Dimension, info.ScoreWidth));

        var prediction = await predictor.PredictAsync(new PredictionInput(features, labels.Length));
        Assert.Equal((model, 1, 2 * labels.Length), (prediction.Model, prediction.Version, prediction.Scores.Length));
        var correct = labels.Where((label, i) => prediction.Labels[i] == label).Count();
        Assert.True(correct > 0.95 * labels.Length, $"{correct} of {labels.Length} right");
    }

    [Fact]
    public async Task ConcurrentSingleRowRequestsGetTheAnswersOfOneBatch()
    {
        var dataset = await BlobExperiments.DatasetAsync(fixture);
        var model = NewName("model");
        await fixture.Grains.GetGrain<IModelGrain>(model).RegisterAsync(new ModelSource(await BlobExperiments.RunAsync(fixture, dataset, "mlnet", parameters: MaxEnt), 0), "ana");
        var (features, labels) = await RowsAsync(dataset);
        var predictor = fixture.Grains.GetGrain<IPredictorGrain>(IPredictorGrain.KeyOf(model, 1));
        var whole = await predictor.PredictAsync(new PredictionInput(features, labels.Length));

        var singles = await Task.WhenAll(Enumerable.Range(0, labels.Length).Select(i => predictor.PredictAsync(new PredictionInput(features[(2 * i)..((2 * i) + 2)], 1))));

        Assert.Equal(whole.Labels, singles.Select(p => p.Labels[0]));
        Assert.Equal(whole.Scores, singles.SelectMany(p => p.Scores));
        var wrongWidth = await Assert.ThrowsAsync<ArgumentException>(() => predictor.PredictAsync(new PredictionInput([1f, 2f, 3f], 1)));
        Assert.Equal("features", FieldError.FieldOf(wrongWidth));
    }

    [Fact]
    public async Task EndpointsResolveAliasesRequireOneSignatureAndHoldTheirVersions()
    {
        var dataset = await BlobExperiments.DatasetAsync(fixture);
        var model = fixture.Grains.GetGrain<IModelGrain>(NewName("model"));
        var name = model.GetPrimaryKeyString();
        await model.RegisterAsync(new ModelSource(await BlobExperiments.RunAsync(fixture, dataset, "knn"), 0), "ana");
        await model.RegisterAsync(new ModelSource(await BlobExperiments.RunAsync(fixture, dataset, "logistic_regression"), 0), "ana");
        await model.SetAliasAsync("production", 1, "ana");
        var endpoint = fixture.Grains.GetGrain<IEndpointGrain>(NewName("endpoint"));

        var info = await endpoint.SetAsync(new EndpointSpec([new EndpointTarget(name, Alias: "production", Weight: 90), new EndpointTarget(name, Version: 2, Weight: 10)]), "admin");

        Assert.Equal(1, info.Revision);
        Assert.Equal([(1, 90, "knn"), (2, 10, "linear")], info.Routes.Select(r => (r.Version, r.Weight, r.Flavor)));
        Assert.All(fixture.Cluster.Silos, silo => Assert.True(
            silo.ServiceProvider.GetRequiredService<PredictorCache>().IsLoaded(IPredictorGrain.KeyOf(name, 2)),
            $"version 2 is not loaded on {silo.SiloAddress}")); // every silo loaded both versions before the switch
        Assert.Equal([new DatasetColumn("features", "vector", 2)], info.Inputs);
        Assert.Equal(2, info.Outputs.Single(o => o.Name == "scores").VectorLength);
        var inUse = await Assert.ThrowsAsync<ArgumentException>(() => model.DeleteVersionAsync(2));
        Assert.Contains(endpoint.GetPrimaryKeyString(), inUse.Message, StringComparison.Ordinal);

        // An ML.NET model over 3 features cannot join an endpoint whose versions take 2.
        var other = fixture.Grains.GetGrain<IModelGrain>(NewName("imported"));
        var imported = await other.RegisterAsync(new ModelSource(Artifact: await MlNetZipAsync(fixture.Store, dimension: 3), Flavor: "mlnet"), "ana");
        Assert.Equal([new DatasetColumn("Features", "vector", 3)], imported.Inputs);
        var mismatch = await Assert.ThrowsAsync<ArgumentException>(() => endpoint.SetAsync(
            new EndpointSpec([new EndpointTarget(name, Version: 2), new EndpointTarget(other.GetPrimaryKeyString(), Version: 1)]), "admin"));
        Assert.Equal("targets[1]", FieldError.FieldOf(mismatch));
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => endpoint.SetAsync(new EndpointSpec([new EndpointTarget(name, Version: 9)]), "admin"));
        Assert.Equal("targets[0].version", FieldError.FieldOf(unknown));
        Assert.Equal(1, (await endpoint.GetAsync())!.Revision); // refused updates change nothing

        await endpoint.SetAsync(new EndpointSpec([new EndpointTarget(name, Version: 1)], Shadow: new EndpointTarget(name, Version: 2)), "ben");
        Assert.Equal(2, (await endpoint.GetAsync())!.Shadow!.Version);
        await endpoint.DeleteAsync("ben");
        Assert.Null(await endpoint.GetAsync());
        Assert.Equal([(1, "admin", 2), (2, "ben", 1), (3, "ben", 0)], (await endpoint.GetHistoryAsync()).Select(h => (h.Revision, h.By, h.Routes.Count)));
        Assert.DoesNotContain(2, (await model.DeleteVersionAsync(2)).Versions.Select(v => v.Version)); // released by the delete
    }

    [Fact]
    public async Task AModelThatDoesNotLoadIsUnavailableAndNeverTakesTraffic()
    {
        var artifact = await MlNetZipAsync(fixture.Store, dimension: 2);
        var model = fixture.Grains.GetGrain<IModelGrain>(NewName("model"));
        var registered = await model.RegisterAsync(new ModelSource(Artifact: artifact, Flavor: "mlnet"), "ana");
        Assert.Equal($"models/{model.GetPrimaryKeyString()}/1/model.zip", registered.ArtifactPath); // the registry's own copy
        await fixture.Store.WriteAsync(registered.ArtifactPath, new MemoryStream("not a zip"u8.ToArray()), ArtifactWriteCondition.None);

        var unavailable = await Assert.ThrowsAsync<ModelUnavailableException>(() =>
            fixture.Grains.GetGrain<IPredictorGrain>(IPredictorGrain.KeyOf(model.GetPrimaryKeyString(), 1)).PredictAsync(new PredictionInput([1f, 2f], 1)));
        Assert.Contains("failed to load", unavailable.Message, StringComparison.Ordinal);
        var refused = await Assert.ThrowsAsync<ArgumentException>(() =>
            fixture.Grains.GetGrain<IEndpointGrain>(NewName("endpoint")).SetAsync(new EndpointSpec([new EndpointTarget(model.GetPrimaryKeyString(), Version: 1)]), "admin"));
        Assert.Equal("targets[0]", FieldError.FieldOf(refused));

        var garbage = $"uploads/tests/{Guid.NewGuid():N}/garbage.zip";
        await fixture.Store.WriteAsync(garbage, new MemoryStream("not a zip"u8.ToArray()));
        var notAModel = await Assert.ThrowsAsync<ArgumentException>(() => model.RegisterAsync(new ModelSource(Artifact: garbage, Flavor: "mlnet"), "ana"));
        Assert.Equal("source.artifact", FieldError.FieldOf(notAModel));
    }

    [Fact]
    public async Task AnMlNetVersionExportsToOnnxThatScoresTheSameAndServesBesideIt()
    {
        var dataset = await BlobExperiments.DatasetAsync(fixture);
        var model = fixture.Grains.GetGrain<IModelGrain>(NewName("model"));
        await model.RegisterAsync(new ModelSource(await BlobExperiments.RunAsync(fixture, dataset, "mlnet", parameters: MaxEnt), 0), "ana");

        var onnx = await model.ExportOnnxAsync(1, "ana");

        Assert.Equal((2, "onnx", 1), (onnx.Version, onnx.Flavor, onnx.Lineage.ExportedFrom));
        var (features, labels) = await RowsAsync(dataset);
        var input = new PredictionInput(features, labels.Length);
        var name = model.GetPrimaryKeyString();
        var mlnet = await fixture.Grains.GetGrain<IPredictorGrain>(IPredictorGrain.KeyOf(name, 1)).PredictAsync(input);
        var exported = await fixture.Grains.GetGrain<IPredictorGrain>(IPredictorGrain.KeyOf(name, 2)).PredictAsync(input);
        Assert.Equal(mlnet.Labels, exported.Labels);
        Assert.All(mlnet.Scores.Zip(exported.Scores), p => Assert.Equal(p.First, p.Second, 1e-4f));
        var endpoint = await fixture.Grains.GetGrain<IEndpointGrain>(NewName("endpoint"))
            .SetAsync(new EndpointSpec([new EndpointTarget(name, Version: 1), new EndpointTarget(name, Version: 2)]), "admin");
        Assert.Equal(["mlnet", "onnx"], endpoint.Routes.Select(r => r.Flavor));

        // The exported file imports into another model as an ONNX model, its signature read from the graph.
        var imported = await fixture.Grains.GetGrain<IModelGrain>(NewName("onnx")).RegisterAsync(new ModelSource(Artifact: onnx.ArtifactPath, Flavor: "onnx"), "ana");
        Assert.Equal([new DatasetColumn("Features", "vector", 2)], imported.Inputs);
        Assert.Equal(2, imported.Outputs.Single(o => o.Name == "scores").VectorLength);

        await model.RegisterAsync(new ModelSource(await BlobExperiments.RunAsync(fixture, dataset, "logistic_regression"), 0), "ana");
        var linear = await Assert.ThrowsAsync<ArgumentException>(() => model.ExportOnnxAsync(3, "ana"));
        Assert.Equal("version", FieldError.FieldOf(linear));
    }

    /// <summary>An ML.NET multiclass model over <paramref name="dimension"/> features, saved to the store.</summary>
    /// <summary>Trains a 2-class ML.NET model over <paramref name="dimension"/> features and uploads its .zip; returns its store path.</summary>
    internal static async Task<string> MlNetZipAsync(IArtifactStore store, int dimension)
    {
        var ml = new MLContext(seed: 42);
        var random = new Random(3);
        var features = new float[200 * dimension];
        var labels = new double[200];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = i % 2;
            for (var d = 0; d < dimension; d++)
            {
                features[(i * dimension) + d] = (float)(random.NextDouble() + (d == 0 ? labels[i] * 10 : 0));
            }
        }

        var (trained, schema) = MlNetTrainer.Train(ml, "multiclass", "lbfgs_maxent", features, dimension, labels, new Dictionary<string, string>());
        using var zip = new MemoryStream();
        ml.Model.Save(trained, schema, zip);
        zip.Position = 0;
        var path = $"uploads/tests/{Guid.NewGuid():N}/model.zip";
        await store.WriteAsync(path, zip);
        return path;
    }

    /// <summary>Every row of the dataset's first version: features row-major, and labels.</summary>
    private async Task<(float[] Features, long[] Labels)> RowsAsync(string dataset)
    {
        var version = (await fixture.Grains.GetGrain<IDatasetGrain>(dataset).GetAsync())!.Versions[0];
        var rows = await DatasetFiles.ReadAllAsync(fixture.Store, dataset, version, CancellationToken.None);
        var features = (Data.Columns.VectorColumn)rows["features"];
        var labels = (Data.Columns.Int64Column)rows["label"];
        return (features.Values.ToArray(), labels.Values.ToArray());
    }

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
