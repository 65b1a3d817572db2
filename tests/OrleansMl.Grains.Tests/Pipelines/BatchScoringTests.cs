using System.Text.Json;
using OrleansMl.Data.Columns;
using OrleansMl.Datasets;
using OrleansMl.Experiments;
using OrleansMl.Grains.Tests.Datasets;
using OrleansMl.Grains.Tests.Models;
using OrleansMl.Models;
using OrleansMl.Serving;

namespace OrleansMl.Grains.Tests.Pipelines;

/// <summary>Scoring a whole dataset in its partition grains gives the answers the predictor gives row by row, written as a new version.</summary>
[Collection(DatasetClusterCollection.Name)]
public sealed class BatchScoringTests(DatasetClusterFixture fixture)
{
    private static readonly string[] Numbers = ["precipitation", "temp_max", "temp_min", "wind"];

    private Task<string> ImportAsync(IReadOnlyList<WeatherRow> rows) => WeatherRow.ImportAsync(fixture, rows);

    private async Task<DatasetVersionInfo> ScoreAsync(string into, ScoreRequest request)
    {
        var target = fixture.Grains.GetGrain<IDatasetGrain>(into);
        var operation = await DatasetClusterFixture.WaitAsync(target, await target.StartScoreAsync(request));
        Assert.True(operation.State == DatasetOperation.Succeeded, operation.Error);
        return (await target.GetAsync())!.Versions.Single(v => v.Version == operation.Version);
    }

    [Fact]
    public async Task ADatasetScoredThroughFittedStepsHoldsTheKeptColumnsAndClassValues()
    {
        var train = WeatherRow.Generate(300, seed: 11, WeatherRow.Classes);
        var rows = WeatherRow.Generate(150, seed: 12, WeatherRow.Classes, shift: 1);
        var trainName = await ImportAsync(train);
        var scoredName = await ImportAsync(rows);
        var experiment = fixture.Grains.GetGrain<IExperimentGrain>("exp-" + Guid.NewGuid().ToString("N")[..8]);
        await experiment.StartAsync(new ExperimentSpec(new DatasetRef(trainName), "weather", "features", "multiclass", "logistic_regression",
            Steps: [new("normalize", Columns: Numbers, Method: "zscore"), new("assemble", Columns: Numbers, Output: "features")]));
        var done = await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(2));
        Assert.True(done.State == "succeeded", done.StopReason);
        var model = "weather-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Grains.GetGrain<IModelGrain>(model).RegisterAsync(new ModelSource(done.Name, 0), "ana");

        var version = await ScoreAsync(scoredName + "-scored", new ScoreRequest(scoredName, Model: model, Columns: ["date", "weather"]));

        Assert.Equal(150, version.RowCount);
        Assert.Equal(3, version.PartitionCount);
        Assert.Equal(["date", "weather", "prediction", "prediction_class", "scores"], version.Columns.Select(c => c.Name));
        Assert.Equal(("predictions", scoredName, model, "1"), (version.Lineage.Operation, version.Lineage.ParentDataset, version.Lineage.Steps[0].Args!["model"], version.Lineage.Steps[0].Args!["version"]));

        // The same answers as the predictor gives the raw records, row for row.
        var online = await fixture.Grains.GetGrain<IPredictorGrain>(IPredictorGrain.KeyOf(model, 1)).PredictAsync(ExperimentPipelineTests.Records(rows));
        var batch = await DatasetFiles.ReadAllAsync(fixture.Store, scoredName + "-scored", version, CancellationToken.None);
        Assert.Equal(rows.Select(r => r.Weather), ((StringColumn)batch["weather"]).Values.ToArray()); // partitions in order, rows in order
        Assert.Equal(online.Labels.Select(l => online.Classes![(int)l]), ((StringColumn)batch["prediction"]).Values.ToArray());
        Assert.Equal(online.Labels, ((Int64Column)batch["prediction_class"]).Values.ToArray());
        Assert.Equal(online.Scores, ((VectorColumn)batch["scores"]).Values.ToArray());
    }

    [Fact]
    public async Task AVectorModelScoresThroughAnEndpointAndRefusesADatasetWithoutItsInput()
    {
        var dataset = await BlobExperiments.DatasetAsync(fixture);
        var model = "blobs-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Grains.GetGrain<IModelGrain>(model).RegisterAsync(new ModelSource(await BlobExperiments.RunAsync(fixture, dataset, "logistic_regression"), 0), "ana");
        var endpoint = "ep-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Grains.GetGrain<IEndpointGrain>(endpoint).SetAsync(new EndpointSpec([new EndpointTarget(model, Version: 1)]), "ana");

        var version = await ScoreAsync(dataset + "-scored", new ScoreRequest(dataset, Endpoint: endpoint));

        Assert.Equal(["features", "label", "prediction", "scores"], version.Columns.Select(c => c.Name));
        var batch = await DatasetFiles.ReadAllAsync(fixture.Store, dataset + "-scored", version, CancellationToken.None);
        var truth = ((Int64Column)batch["label"]).Values.ToArray();
        var predicted = ((Int64Column)batch["prediction"]).Values.ToArray();
        Assert.True(truth.Zip(predicted).Count(p => p.First == p.Second) > 0.95 * truth.Length);

        var weather = await ImportAsync(WeatherRow.Generate(30, seed: 1, WeatherRow.Classes));
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Grains.GetGrain<IDatasetGrain>(weather + "-scored").StartScoreAsync(new ScoreRequest(weather, Model: model)));
        Assert.Equal("input", FieldError.FieldOf(refused));
        Assert.Contains("reads 'features'", refused.Message);
        var noModel = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Grains.GetGrain<IDatasetGrain>(weather + "-scored").StartScoreAsync(new ScoreRequest(weather)));
        Assert.Equal("model", FieldError.FieldOf(noModel));
    }
}
