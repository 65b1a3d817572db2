using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansMl.Bench.Measurement;
using OrleansMl.Bench.Serving;
using OrleansMl.Testing;

namespace OrleansMl.Bench.Ui;

/// <summary>
/// The web UI's experiment page over a sweep of 10,000 real runs (k-NN on a small blobs dataset, random
/// search, 32 at a time) against the same page over a sweep of 100, on one platform process (silo and
/// gateway, keys on): the time to the whole HTML of the first page of runs, warm (the experiment grain
/// active) and cold (the first request after the process restarted, so the grain reads its run pages).
/// The sweep's own throughput (runs finished per second) is reported beside it.
/// </summary>
internal static class ExperimentPageScenario
{
    public static async Task<BenchResult[]> RunAsync(BenchSettings settings)
    {
        var runs = settings.Name == "quick" ? 1_000 : 10_000;
        const int SmallRuns = 100;
        var directory = Directory.CreateTempSubdirectory("orleansml-bench-ui-").FullName;
        var data = Path.Combine(directory, "data");
        try
        {
            double runsPerSecond;
            double[] warmLarge, warmSmall;
            using (var platform = PlatformServing.Start(data, out var address))
            {
                using var client = Client(address);
                await PlatformServing.WaitUntilReadyAsync(client, platform);
                await ImportBlobsAsync(client);
                await SweepAsync(client, "ui-warm", 8);
                await SweepAsync(client, "ui-small", SmallRuns);
                var watch = Stopwatch.StartNew();
                await SweepAsync(client, "ui-large", runs);
                runsPerSecond = runs / watch.Elapsed.TotalSeconds;
                Console.WriteLine($"  a sweep of {runs:N0} k-NN runs finished in {watch.Elapsed.TotalSeconds:N0} s ({runsPerSecond:N1} runs/s)");
                await RenderAsync(client, "ui-large", runs); // warm-up: JIT, the page's components
                warmLarge = await RendersAsync(client, "ui-large", runs, settings.Repetitions);
                warmSmall = await RendersAsync(client, "ui-small", SmallRuns, settings.Repetitions);
            }

            var coldLarge = new double[settings.Repetitions];
            var coldSmall = new double[settings.Repetitions];
            for (var i = 0; i < settings.Repetitions; i++)
            {
                // Each page is the first request of its experiment after a restart, once another experiment's page
                // has been drawn (the process's first page pays for compiling the components); the order alternates.
                using var platform = PlatformServing.Start(data, out var address);
                using var client = Client(address);
                await PlatformServing.WaitUntilReadyAsync(client, platform);
                await RenderAsync(client, "ui-warm", 8);
                if (i % 2 == 0)
                {
                    coldLarge[i] = await RenderAsync(client, "ui-large", runs);
                    coldSmall[i] = await RenderAsync(client, "ui-small", SmallRuns);
                }
                else
                {
                    coldSmall[i] = await RenderAsync(client, "ui-small", SmallRuns);
                    coldLarge[i] = await RenderAsync(client, "ui-large", runs);
                }
            }

            return
            [
                BenchResult.FromSamples($"UI experiment page, {runs:N0} runs, warm", $"same page, {SmallRuns} runs", "ms", false, warmLarge, warmSmall,
                    $"GET /experiments/{{name}} with an API key: the whole HTML (first 50 runs, curves of 8, scatter of the best 2,000); sweep {runsPerSecond:N1} runs/s"),
                BenchResult.FromSamples($"UI experiment page, {runs:N0} runs, first after restart", $"same page, {SmallRuns} runs", "ms", false, coldLarge, coldSmall,
                    "the experiment grain activates and reads its run pages (500 runs a page)"),
            ];
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static HttpClient Client(Uri address)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Add("X-Api-Key", PlatformServing.Key);
        return client;
    }

    /// <summary>Two blobs of 2-D points, 200 rows: each k-NN run costs little beyond the platform's own work.</summary>
    private static async Task ImportBlobsAsync(HttpClient client)
    {
        var random = new Random(3);
        var lines = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            var label = i % 2;
            lines.Append(CultureInfo.InvariantCulture, $$"""{"features":[{{(label * 4) + (random.NextDouble() * 3)}},{{random.NextDouble() * 3}}],"label":{{label}}}""").Append('\n');
        }

        (await client.PutAsync("/v1/artifacts/bench/ui/blobs.jsonl", new StringContent(lines.ToString()))).EnsureSuccessStatusCode();
        var import = await (await client.PostAsJsonAsync("/v1/datasets/blobs/imports?wait=120", new { source = new { artifact = "bench/ui/blobs.jsonl" } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        PlatformServing.Expect(import, "succeeded", "the blobs import");
    }

    private static async Task SweepAsync(HttpClient client, string name, int runs)
    {
        (await client.PutAsJsonAsync($"/v1/experiments/{name}", new
        {
            train = new { name = "blobs" }, labelColumn = "label", featureColumn = "features", task = "multiclass", trainer = "knn",
            strategy = "random", maxRuns = runs, maxConcurrentRuns = 32,
            searchSpace = new Dictionary<string, object> { ["k"] = new { min = 1, max = 25, integer = true } },
        })).EnsureSuccessStatusCode();
        while (true)
        {
            var experiment = await client.GetFromJsonAsync<JsonElement>($"/v1/experiments/{name}");
            var state = experiment.GetProperty("state").GetString();
            if (state is "succeeded")
            {
                return;
            }

            if (state is "failed" or "cancelled")
            {
                throw new InvalidOperationException($"The sweep {name} ended: {experiment}");
            }

            await Task.Delay(1000);
        }
    }

    private static async Task<double[]> RendersAsync(HttpClient client, string name, int runs, int repetitions)
    {
        var samples = new double[repetitions];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = await RenderAsync(client, name, runs);
        }

        return samples;
    }

    /// <summary>Milliseconds to the whole page; checked to be the page of the experiment with its runs.</summary>
    private static async Task<double> RenderAsync(HttpClient client, string name, int runs)
    {
        var watch = Stopwatch.StartNew();
        var html = await (await client.GetAsync($"/experiments/{name}")).EnsureSuccessStatusCode().Content.ReadAsStringAsync();
        var elapsed = watch.Elapsed.TotalMilliseconds;
        if (!html.Contains($"experiments/{name}/runs/{Math.Min(runs, 50) - 1}\"", StringComparison.Ordinal) || html.Contains("class=\"error\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The page of {name} ({runs:N0} runs) does not show its first runs: {html[..Math.Min(html.Length, 2000)]}");
        }

        return elapsed;
    }
}
