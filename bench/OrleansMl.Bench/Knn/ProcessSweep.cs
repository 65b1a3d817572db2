using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansMl.Testing;

namespace OrleansMl.Bench.Knn;

/// <summary>
/// The scale-out layout for the sweep: N silo processes and one gateway process forming a cluster
/// through Azure Table membership on Azurite (state and artifacts in Azure Blob), driven over HTTP.
/// </summary>
internal static class ProcessSweep
{
    private const string Key = "bench-sweep-key";

    /// <summary>Runs the sweep on <paramref name="silos"/> silo processes; returns runs per minute.</summary>
    public static async Task<double> RunsPerMinuteAsync(int silos, int runs, AzuriteServer azurite)
    {
        var unique = Guid.NewGuid().ToString("N")[..8];
        var ports = FreePorts.Take((silos * 3) + 1);
        string[] shared =
        [
            "--OrleansMl:ClusterId=sweep" + unique,
            "--OrleansMl:Storage:Mode=AzureStorage",
            "--OrleansMl:Storage:ConnectionString=" + azurite.ConnectionString,
            "--OrleansMl:Storage:ClusteringTable=Silos" + unique,
            "--OrleansMl:Storage:GrainStateContainer=state" + unique,
            "--OrleansMl:Storage:ArtifactContainer=artifacts" + unique,
            "--Logging:LogLevel:Default=Warning",
        ];
        var processes = new List<PlatformProcess>();
        try
        {
            for (var i = 0; i < silos; i++)
            {
                processes.Add(new PlatformProcess($"silo{i}", [.. shared, "--role", "silo", $"--OrleansMl:SiloPort={ports[i * 3]}", $"--OrleansMl:GatewayPort={ports[(i * 3) + 1]}", "--urls", $"http://127.0.0.1:{ports[(i * 3) + 2]}"]));
            }

            var gateway = new Uri($"http://127.0.0.1:{ports[^1]}");
            processes.Add(new PlatformProcess("gateway", [
                .. shared, "--role", "gateway", "--urls", gateway.ToString(),
                .. TestApiKey.Arguments(new TestApiKey("bench", Key, Gateway.Security.GatewayRole.Admin))]));
            using var client = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(6) };
            client.DefaultRequestHeaders.Add("X-Api-Key", Key);
            await WaitForSilosAsync(client, silos, processes);

            var import = await client.PostAsJsonAsync("/v1/datasets/fashion/imports?wait=280", new
            {
                source = new { path = FashionMnist.PathOf(FashionMnist.TestImages), labelsPath = FashionMnist.PathOf(FashionMnist.TestLabels) },
                options = new { partitions = 2 * silos },
            });
            var imported = await import.Content.ReadFromJsonAsync<JsonElement>();
            if (imported.GetProperty("state").GetString() != "succeeded")
            {
                throw new InvalidOperationException($"The import in the {silos}-silo cluster ended: {imported}");
            }

            var watch = Stopwatch.StartNew();
            var start = await client.PutAsJsonAsync("/v1/experiments/sweep", new
            {
                train = new { name = "fashion" },
                labelColumn = "label",
                featureColumn = "pixels",
                task = "multiclass",
                trainer = "mlnet",
                @params = new { algorithm = "sdca_maxent", max_iterations = "3" },
                searchSpace = new { l2 = new { min = 1e-4, max = 1.0, log = true } },
                strategy = "random",
                maxRuns = runs,
                maxConcurrentRuns = 2 * silos,
            });
            start.EnsureSuccessStatusCode();
            while (true)
            {
                var info = await client.GetFromJsonAsync<JsonElement>("/v1/experiments/sweep?wait=20");
                var state = info.GetProperty("state").GetString();
                if (state is "succeeded" or "failed" or "cancelled")
                {
                    return state == "succeeded"
                        ? runs / watch.Elapsed.TotalMinutes
                        : throw new InvalidOperationException($"The sweep on {silos} silo processes ended {state}: {info}");
                }
            }
        }
        finally
        {
            foreach (var process in processes)
            {
                process.Dispose();
            }
        }
    }

    private static async Task WaitForSilosAsync(HttpClient client, int silos, List<PlatformProcess> processes)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (processes.FirstOrDefault(p => p.HasExited) is { } exited)
            {
                throw new InvalidOperationException($"{exited.Name} exited: {exited.Output}");
            }

            try
            {
                var cluster = await client.GetFromJsonAsync<JsonElement>("/v1/cluster");
                if (cluster.GetProperty("silos").GetArrayLength() == silos)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"The {silos}-silo cluster did not form within 2 minutes.");
    }
}
