using System.Globalization;
using System.Text.Json;
using OrleansMl.Datasets;
using OrleansMl.Experiments;
using OrleansMl.Grains.Tests.Datasets;
using OrleansMl.Models;
using OrleansMl.Serving;

namespace OrleansMl.Grains.Tests.Pipelines;

/// <summary>
/// The case that went wrong before fitted steps: a weather file split by date into two files whose
/// test file lacks a class, each keyed on its own. Steps in the experiment are fitted on the training
/// rows only, the label keeps its class values, and an unseen class is wrong, never renumbered.
/// </summary>
[Collection(DatasetClusterCollection.Name)]
public sealed class ExperimentPipelineTests(DatasetClusterFixture fixture)
{
    private static readonly string[] Numbers = ["precipitation", "temp_max", "temp_min", "wind"];

    private static readonly TransformStep[] Steps =
    [
        new("normalize", Columns: Numbers, Method: "zscore"),
        new("assemble", Columns: Numbers, Output: "features"),
    ];

    private readonly List<WeatherRow> _train = WeatherRow.Generate(500, seed: 1, WeatherRow.Classes);

    // No drizzle (the first class in sorted order, so keying this file alone shifts every class), warmer
    // than the training rows, and a few rows of a class the training rows never had.
    private readonly List<WeatherRow> _test = [.. WeatherRow.Generate(200, seed: 2, ["fog", "rain", "snow", "sun"], shift: 2), .. WeatherRow.Generate(8, seed: 3, ["hail"])];

    private async Task<(string Train, string Test)> ImportAsync() =>
        (await WeatherRow.ImportAsync(fixture, _train), await WeatherRow.ImportAsync(fixture, _test));

    private static ExperimentSpec Knn(string train, string? test, IReadOnlyList<TransformStep>? steps) =>
        new(new DatasetRef(train), "weather", "features", "multiclass", "knn", Eval: test is null ? null : new DatasetRef(test),
            Params: new Dictionary<string, string> { ["k"] = "1" }, Steps: steps);

    private async Task<ExperimentInfo> RunAsync(ExperimentSpec spec)
    {
        var experiment = fixture.Grains.GetGrain<IExperimentGrain>("exp-" + Guid.NewGuid().ToString("N")[..8]);
        await experiment.StartAsync(spec);
        return await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(3));
    }

    [Fact]
    public async Task StepsAreFittedOnTrainingRowsOnlyAndLabelsKeepTheirClassValues()
    {
        var (train, test) = await ImportAsync();

        var done = await RunAsync(Knn(train, test, Steps));

        Assert.True(done.State == "succeeded", done.StopReason);
        var pipeline = done.Pipeline!;
        Assert.Equal(Numbers, pipeline.Inputs.Select(c => c.Name)); // not the date, never the label
        Assert.Equal(WeatherRow.Classes, pipeline.Classes);
        Assert.Equal("categorical", pipeline.LabelType); // few distinct texts import as categorical

        // The statistics are the training rows' (the test rows are 2 degrees warmer).
        var (mean, std) = Statistics(_train);
        var normalize = pipeline.Steps[0].Resolved!;
        for (var c = 0; c < Numbers.Length; c++)
        {
            Assert.Equal(mean[c], double.Parse(normalize[$"{Numbers[c]}.offset"], CultureInfo.InvariantCulture), 9);
            Assert.Equal(1 / std[c], double.Parse(normalize[$"{Numbers[c]}.scale"], CultureInfo.InvariantCulture), 9);
        }

        // The metrics are those of a 1-NN by class value over the same normalised rows; hail is always wrong.
        var run = done.Best!;
        var expected = ReferenceAccuracy(mean, std);
        Assert.InRange(run.Metrics["accuracy"], expected - (1.0 / _test.Count), expected + (1.0 / _test.Count));
        Assert.True(run.Metrics["accuracy"] > 0.7, $"accuracy {run.Metrics["accuracy"]}");
        Assert.Equal(8, run.Metrics["unseen_class_rows"]);

        var info = (await fixture.Grains.GetGrain<IRunGrain>(run.Id).GetAsync())!;
        using var stored = JsonDocument.Parse(await ReadAsync(info.Artifacts["pipeline"]));
        Assert.Equal(WeatherRow.Classes, stored.RootElement.GetProperty("Classes").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task DatasetsKeyedEachOnTheirOwnAreRefusedAsTrainAndEval()
    {
        var (train, test) = await ImportAsync();
        var keyed = new List<string>();
        foreach (var name in new[] { train, test })
        {
            var grain = fixture.Grains.GetGrain<IDatasetGrain>(name);
            var started = await grain.StartTransformAsync(new TransformRequest([new("to_key", Column: "weather"), .. Steps]));
            Assert.Equal(DatasetOperation.Succeeded, (await DatasetClusterFixture.WaitAsync(grain, started)).State);
            keyed.Add(name);
        }

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => RunAsync(Knn(keyed[0], keyed[1], steps: null)));
        Assert.Contains("key the label 'weather' differently", refused.Message);
        Assert.Equal("eval", FieldError.FieldOf(refused));

        // The same steps applied with 'from' key both alike, and the experiment runs.
        var aligned = fixture.Grains.GetGrain<IDatasetGrain>(test);
        var again = await aligned.StartTransformAsync(new TransformRequest([], Version: 1, From: new StepSource(train)));
        Assert.Equal(DatasetOperation.Succeeded, (await DatasetClusterFixture.WaitAsync(aligned, again)).State);
        var done = await RunAsync(Knn(train, test, steps: null) with { Eval = new DatasetRef(test, 3) });
        Assert.True(done.State == "succeeded", done.StopReason);
    }

    [Fact]
    public async Task TransformFromAppliesTheSameResolvedSteps()
    {
        var (train, test) = await ImportAsync();
        var source = fixture.Grains.GetGrain<IDatasetGrain>(train);
        var made = await source.StartTransformAsync(new TransformRequest([new("one_hot", Column: "weather"), .. Steps]));
        Assert.Equal(DatasetOperation.Succeeded, (await DatasetClusterFixture.WaitAsync(source, made)).State);
        var target = fixture.Grains.GetGrain<IDatasetGrain>(test);

        var applied = await target.StartTransformAsync(new TransformRequest([], From: new StepSource(train, 2)));

        Assert.Equal(DatasetOperation.Succeeded, (await DatasetClusterFixture.WaitAsync(target, applied)).State);
        var original = (await source.GetAsync())!.Versions[^1].Lineage.Steps;
        var copy = (await target.GetAsync())!.Versions[^1].Lineage.Steps;
        Assert.Equal(original.Select(s => JsonSerializer.Serialize(s)), copy.Select(s => JsonSerializer.Serialize(s)));

        // hail was never a category: all zeros, not a new position.
        var rows = await target.HeadAsync(rows: 208);
        using var json = JsonDocument.Parse(rows.RowsJson);
        var hail = json.RootElement.EnumerateArray().First(r => r.GetProperty("weather").GetString() == "hail");
        Assert.All(hail.GetProperty("weather_onehot").EnumerateArray(), v => Assert.Equal(0, v.GetDouble()));

        var notTransformed = await Assert.ThrowsAsync<ArgumentException>(() => target.StartTransformAsync(new TransformRequest([], From: new StepSource(train, 1))));
        Assert.Contains("was made by import", notTransformed.Message);
    }

    [Fact]
    public async Task StepsThatCannotBeFittedFailTheExperimentNamingTheStep()
    {
        var name = await WeatherRow.ImportAsync(fixture, [.. _train.Select(r => r with { Wind = 4 })]);

        var done = await RunAsync(Knn(name, null, Steps));

        Assert.Equal("failed", done.State);
        Assert.Contains("steps[0]: normalize cannot be fitted: column 'wind'", done.StopReason);
    }

    [Fact]
    public async Task StepsThatReadTheLabelOrFilterRowsAreRefused()
    {
        var (train, test) = await ImportAsync();

        var leak = await Assert.ThrowsAsync<ArgumentException>(() => RunAsync(Knn(train, test, [new("one_hot", Column: "weather"), new("assemble", Columns: ["temp_max", "weather_onehot"], Output: "features")])));
        Assert.Contains("read the label column 'weather'", leak.Message);
        var filter = await Assert.ThrowsAsync<ArgumentException>(() => RunAsync(Knn(train, test, [new("filter", Expression: "wind > 1"), .. Steps])));
        Assert.Contains("steps[0]: filter", filter.Message);
        var noVector = await Assert.ThrowsAsync<ArgumentException>(() => RunAsync(Knn(train, test, [Steps[0]])));
        Assert.Equal("featureColumn", FieldError.FieldOf(noVector));
    }

    [Fact]
    public async Task ARegisteredVersionTakesRawRecordsAndAnswersInClassValues()
    {
        var (train, test) = await ImportAsync();
        var done = await RunAsync(Knn(train, test, Steps));
        var model = "weather-" + Guid.NewGuid().ToString("N")[..8];
        var version = await fixture.Grains.GetGrain<IModelGrain>(model).RegisterAsync(new ModelSource(done.Name, 0), "ana");
        Assert.Equal(Numbers, version.Inputs.Select(c => c.Name));
        Assert.Equal(["label", "class", "scores"], version.Outputs.Select(c => c.Name));

        var rows = _train.Take(20).ToList();
        var predictor = fixture.Grains.GetGrain<IPredictorGrain>(IPredictorGrain.KeyOf(model, 1));
        var prediction = await predictor.PredictAsync(Records(rows));

        Assert.Equal(WeatherRow.Classes, prediction.Classes);
        // 1-NN on its own training rows: each row is its own nearest neighbour.
        Assert.Equal(rows.Select(r => r.Weather), prediction.Labels.Select(l => prediction.Classes![(int)l]));

        var missing = await Assert.ThrowsAsync<ArgumentException>(() => predictor.PredictAsync(Records(rows) with { Columns = Records(rows).Columns!.Skip(1).ToList() }));
        Assert.Equal("records[0].precipitation", FieldError.FieldOf(missing));
        var vectors = await Assert.ThrowsAsync<ArgumentException>(() => predictor.PredictAsync(new PredictionInput(new float[4], 1)));
        Assert.Contains("raw columns", vectors.Message);
    }

    internal static PredictionInput Records(IReadOnlyList<WeatherRow> rows) => new([], rows.Count,
    [
        new RecordColumn("precipitation", Numbers: [.. rows.Select(r => r.Precipitation)]),
        new RecordColumn("temp_max", Numbers: [.. rows.Select(r => r.TempMax)]),
        new RecordColumn("temp_min", Numbers: [.. rows.Select(r => r.TempMin)]),
        new RecordColumn("wind", Numbers: [.. rows.Select(r => r.Wind)]),
    ]);

    private static (double[] Mean, double[] Std) Statistics(IReadOnlyList<WeatherRow> rows)
    {
        var mean = new double[4];
        var std = new double[4];
        for (var c = 0; c < 4; c++)
        {
            mean[c] = rows.Average(r => r.Numbers[c]);
            std[c] = Math.Sqrt(rows.Sum(r => Math.Pow(r.Numbers[c] - mean[c], 2)) / (rows.Count - 1));
        }

        return (mean, std);
    }

    private double ReferenceAccuracy(double[] mean, double[] std)
    {
        float[] Vector(WeatherRow row) => [.. row.Numbers.Select((v, c) => (float)((v - mean[c]) / std[c]))];
        var points = _train.Select(Vector).ToArray();
        var correct = 0;
        foreach (var row in _test)
        {
            var query = Vector(row);
            var nearest = Enumerable.Range(0, points.Length).MinBy(i => points[i].Select((v, c) => Math.Pow(v - query[c], 2)).Sum());
            correct += _train[nearest].Weather == row.Weather ? 1 : 0;
        }

        return (double)correct / _test.Count;
    }

    private async Task<string> ReadAsync(string path)
    {
        await using var content = await fixture.Store.OpenReadAsync(path);
        return await new StreamReader(content).ReadToEndAsync();
    }
}
