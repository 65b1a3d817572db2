using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OrleansMl.Datasets;
using OrleansMl.Experiments;
using OrleansMl.Grains.Tests.Datasets;
using OrleansMl.GrainClient;
using OrleansMl.Serving;

namespace OrleansMl.Grains.Tests.Serving;

/// <summary>The example of docs/grain-client.md, run as written against a 3-silo cluster.</summary>
[Collection(DatasetClusterCollection.Name)]
public sealed class GrainClientTests(DatasetClusterFixture fixture)
{
    [Fact]
    public async Task TheGrainClientImportsTrainsRegistersDeploysAndPredicts()
    {
        var lines = new StringBuilder();
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            lines.Append(System.Globalization.CultureInfo.InvariantCulture, $$"""{"features":[{{(i % 2 * 10) + random.NextDouble()}},{{random.NextDouble()}}],"label":{{i % 2}}}""").Append('\n');
        }

        var artifact = $"uploads/tests/{Guid.NewGuid():N}/points.jsonl";
        await fixture.Store.WriteAsync(artifact, new MemoryStream(Encoding.UTF8.GetBytes(lines.ToString())));
        var name = "points-" + Guid.NewGuid().ToString("N")[..8]; // the dataset, experiment, model and endpoint
        await using var services = new ServiceCollection().AddLogging().AddSingleton(fixture.Grains).AddSingleton(fixture.Store).AddOrleansMlGrainClient().BuildServiceProvider();
        var client = services.GetRequiredService<OrleansMlGrainClient>();

        var version = await client.ImportAsync(name, new ImportRequest(new DatasetSource(Artifact: artifact)));
        var experiment = await client.RunExperimentAsync(name, new ExperimentSpec(new DatasetRef(name), "label", "features", "multiclass", "logistic_regression"));
        var model = await client.RegisterBestAsync(name, experiment.Name, "docs-example");
        await client.DeployAsync(name, new EndpointSpec([new EndpointTarget(name, Version: model.Version)]), "docs-example");
        var prediction = await client.PredictAsync(name, [0.2f, 0.5f, 10.3f, 0.4f], rows: 2);

        Assert.Equal(200, version.RowCount);
        Assert.Equal("succeeded", experiment.State);
        Assert.Equal([0L, 1L], prediction.Labels);
        Assert.Equal(1, prediction.Version);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => client.PredictAsync(name + "-missing", [0f, 0f], 1));

        // Through fitted steps: raw columns in, class values out, by the same routing as the gateway.
        var fitted = await client.RunExperimentAsync(name + "-steps", new ExperimentSpec(new DatasetRef(name), "label", "x", "multiclass", "logistic_regression",
            Steps: [new TransformStep("normalize", Columns: ["features"], Method: "minmax"), new TransformStep("assemble", Columns: ["features"], Output: "x")]));
        var stepped = await client.RegisterBestAsync(name + "-steps", fitted.Name, "docs-example");
        await client.DeployAsync(name + "-steps", new EndpointSpec([new EndpointTarget(name + "-steps", Version: stepped.Version)]), "docs-example");
        var records = await client.PredictRecordsAsync(name + "-steps", [new RecordColumn("features", Vectors: [0.2f, 0.5f, 10.3f, 0.4f])], rows: 2);
        Assert.Equal(["0", "1"], records.Labels.Select(l => records.Classes![(int)l]));
        var missing = await Assert.ThrowsAsync<ArgumentException>(() => client.PredictRecordsAsync(name + "-steps", [], rows: 1));
        Assert.Equal("records[0].features", FieldError.FieldOf(missing));
    }
}
