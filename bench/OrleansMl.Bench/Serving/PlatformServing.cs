using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansMl.Bench.Measurement;
using OrleansMl.Data.Formats.Images;
using OrleansMl.Ml.Knn;
using OrleansMl.Testing;

namespace OrleansMl.Bench.Serving;

/// <summary>
/// The serving benchmark: the bench model served by the platform (one embedded process, silo and
/// gateway, API keys on, as deployed) against the floor app serving the same .zip; cold start;
/// and a k-NN endpoint over Fashion-MNIST against one in-process <see cref="KnnIndex"/> query.
/// </summary>
internal static class PlatformServing
{
    internal const string Key = "bench-serving-key";

    public static async Task<BenchResult[]> RunAsync(BenchSettings settings)
    {
        var directory = Directory.CreateTempSubdirectory("orleansml-bench-serving-").FullName;
        try
        {
            var model = ServingModel.Create(directory);
            var floor = await ServingScenario.MeasureFloorAsync(model, settings);
            var floorColdStart = FloorColdStarts(model, settings.Repetitions);

            using var platform = Start(Path.Combine(directory, "data"), out var address);
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(10) };
            client.DefaultRequestHeaders.Add("X-Api-Key", Key);
            await WaitUntilReadyAsync(client, platform);
            (await client.PutAsync("/v1/artifacts/bench/serving/model.zip", new ByteArrayContent(await File.ReadAllBytesAsync(model.ModelPath)))).EnsureSuccessStatusCode();

            var single = PredictBody.Write(Path.Combine(directory, "platform-single.json"), model.RequestFeatures.AsSpan(0, model.Dimension), model.Dimension, featuresField: "Features");
            var coldStart = new double[settings.Repetitions];
            for (var i = 0; i < coldStart.Length; i++)
            {
                coldStart[i] = await ColdStartAsync(client, single);
            }

            var batch = PredictBody.Write(Path.Combine(directory, "platform-batch.json"), model.RequestFeatures, model.Dimension, featuresField: "Features");
            var endpoint = new ServingEndpoint("platform", new Uri(address, "/v1/endpoints/bench-cold/predict"), single, batch, model.BatchRows,
                new Dictionary<string, string> { ["X-Api-Key"] = Key }, () => platform.ProcessorTime);
            var measured = await ServingScenario.MeasureAsync(endpoint, settings);
            var knn = await KnnLatencyAsync(client, directory, settings);
            return
            [
                .. ServingScenario.Compare(measured, floor),
                BenchResult.FromSamples("cold start: deploy a new version and answer its first request", "floor: load the .zip and predict once in-process", "ms", false, coldStart, floorColdStart,
                    "register (copy + check) is not timed; PUT /v1/endpoints loads the version on the silo, then one predict over HTTP"),
                knn,
            ];
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Registers the model again (a version never loaded), points the endpoint at it and times deploy plus the first answer.</summary>
    private static async Task<double> ColdStartAsync(HttpClient client, string body)
    {
        var registered = await (await client.PostAsJsonAsync("/v1/models/bench/versions", new { artifact = "bench/serving/model.zip", flavor = "mlnet" }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var version = registered.GetProperty("version").GetInt32();
        var watch = Stopwatch.StartNew();
        (await client.PutAsJsonAsync("/v1/endpoints/bench-cold", new { targets = new[] { new { model = "bench", version } } })).EnsureSuccessStatusCode();
        using var content = new StringContent(await File.ReadAllTextAsync(body), System.Text.Encoding.UTF8, "application/json");
        (await client.PostAsync("/v1/endpoints/bench-cold/predict", content)).EnsureSuccessStatusCode();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double[] FloorColdStarts(ServingModel model, int repetitions)
    {
        var samples = new double[repetitions];
        var row = model.RequestFeatures[..model.Dimension];
        for (var i = 0; i < samples.Length; i++)
        {
            var watch = Stopwatch.StartNew();
            using var loaded = FloorModel.Load(model.ModelPath);
            loaded.Predict(row);
            samples[i] = watch.Elapsed.TotalMilliseconds;
        }

        return samples;
    }

    /// <summary>
    /// One Fashion-MNIST image at a time (wrk, one connection) to a k-NN endpoint whose model is the
    /// 60,000 training images in 4 partitions, against one <see cref="KnnIndex"/> query over the same
    /// images on one thread in this process.
    /// </summary>
    private static async Task<BenchResult> KnnLatencyAsync(HttpClient client, string directory, BenchSettings settings)
    {
        FashionMnist.EnsureInstalled();
        var import = await (await client.PostAsJsonAsync("/v1/datasets/fashion/imports?wait=280", new
        {
            source = new { path = FashionMnist.PathOf(FashionMnist.TrainImages), labelsPath = FashionMnist.PathOf(FashionMnist.TrainLabels) },
            options = new { partitions = 4 },
        })).Content.ReadFromJsonAsync<JsonElement>();
        Expect(import, "succeeded", "the Fashion-MNIST import");
        var experiment = await (await client.PutAsJsonAsync("/v1/experiments/fashion-knn?wait=280", new
        {
            train = new { name = "fashion" }, labelColumn = "label", featureColumn = "pixels", task = "multiclass", trainer = "knn",
            @params = new { k = "5" }, testFraction = 0.02,
        })).Content.ReadFromJsonAsync<JsonElement>();
        Expect(experiment, "succeeded", "the k-NN experiment");
        (await client.PostAsJsonAsync("/v1/models/fashion/versions", new { experiment = "fashion-knn", run = 0 })).EnsureSuccessStatusCode();
        (await client.PutAsJsonAsync("/v1/endpoints/fashion", new { targets = new[] { new { model = "fashion", version = 1 } } })).EnsureSuccessStatusCode();

        using var reader = IdxDatasetReader.Open(FashionMnist.PathOf(FashionMnist.TestImages), FashionMnist.PathOf(FashionMnist.TestLabels));
        var query = ((Data.Columns.VectorColumn)reader.ReadBatch(1)!["pixels"]).Values.ToArray();
        var body = PredictBody.Write(Path.Combine(directory, "fashion.json"), query, query.Length, featuresField: "pixels");
        var target = new LoadTarget(new Uri(client.BaseAddress!, "/v1/endpoints/fashion/predict"), body, new Dictionary<string, string> { ["X-Api-Key"] = Key });
        await LoadGenerator.EnsureInstalledAsync();
        (await LoadGenerator.MaxThroughputAsync(target, 1, settings.WarmUp, 1)).EnsureSucceeded("k-NN warm-up");
        var latency = new double[settings.Repetitions];
        var p99 = new double[settings.Repetitions];
        for (var i = 0; i < latency.Length; i++)
        {
            var result = (await LoadGenerator.MaxThroughputAsync(target, 1, ServingScenario.LoadDuration(settings), 1)).EnsureSucceeded($"k-NN latency, repetition {i + 1}");
            (latency[i], p99[i]) = (result.P50Ms, result.P99Ms);
        }

        return BenchResult.FromSamples("k-NN endpoint, one Fashion-MNIST image (p50)", "one KnnIndex query in-process, 1 thread", "ms", false, latency, KnnIndexLatencies(query, settings.Repetitions),
            $"k=5 L2 over 60,000 images in 4 partitions, wrk -c1; p99 {Stats.Median(p99):F2} ms");
    }

    private static double[] KnnIndexLatencies(float[] query, int repetitions)
    {
        var train = FashionMnist.Read(FashionMnist.TrainImages, FashionMnist.TrainLabels).Pixels;
        var index = new KnnIndex(train, query.Length, KnnDistance.L2);
        var result = new Neighbor[5];
        var samples = new double[repetitions];
        for (var i = 0; i < samples.Length; i++)
        {
            const int Queries = 50;
            var watch = Stopwatch.StartNew();
            for (var q = 0; q < Queries; q++)
            {
                index.Search(query, 5, result);
            }

            samples[i] = watch.Elapsed.TotalMilliseconds / Queries;
        }

        return samples;
    }

    internal static PlatformProcess Start(string dataDirectory, out Uri address)
    {
        var ports = FreePorts.Take(3);
        address = new Uri($"http://127.0.0.1:{ports[2]}");
        return new PlatformProcess("platform", [
            $"--OrleansMl:DataDirectory={dataDirectory}", $"--OrleansMl:SiloPort={ports[0]}", $"--OrleansMl:GatewayPort={ports[1]}", "--urls", address.ToString(),
            "--Logging:LogLevel:Default=Warning", "--OrleansMl:Dashboard=false",
            .. TestApiKey.Arguments(new TestApiKey("bench", Key, Gateway.Security.GatewayRole.Admin))]);
    }

    internal static async Task WaitUntilReadyAsync(HttpClient client, PlatformProcess platform)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            if (platform.HasExited)
            {
                throw new InvalidOperationException($"The platform exited: {platform.Output}");
            }

            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The platform was not ready within 2 minutes: {platform.Output}");
            }

            await Task.Delay(250);
        }
    }

    internal static void Expect(JsonElement operation, string state, string what)
    {
        if (operation.GetProperty("state").GetString() != state)
        {
            throw new InvalidOperationException($"{what} ended: {operation}");
        }
    }
}
