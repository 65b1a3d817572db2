using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansMl.Gateway.Security;
using OrleansMl.Testing;

namespace OrleansMl.Deploy.Tests;

/// <summary>
/// What can be checked of the container image without a container engine: the Dockerfile's final stage, and the
/// published app started as three processes (two silos, a gateway) with exactly the image's environment plus what
/// the deployment sets (infra/), on Azurite instead of Azure Storage with a managed identity.
/// </summary>
public sealed class ContainerTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    /// <summary>What the base image (mcr.microsoft.com/dotnet/aspnet:10.0) sets, besides the Dockerfile's own ENV.</summary>
    private static readonly Dictionary<string, string> BaseImageEnvironment = new()
    {
        ["ASPNETCORE_HTTP_PORTS"] = "8080",
        ["DOTNET_RUNNING_IN_CONTAINER"] = "true",
        ["APP_UID"] = "1654",
    };

    private const string AdminKey = "container-admin-key";

    [Fact]
    public void The_image_runs_as_a_non_root_user_serves_8080_and_holds_no_secret()
    {
        var dockerfile = Dockerfile.ReadFinalStage();
        Assert.Equal("$APP_UID", dockerfile.User);
        Assert.Equal([8080, 11111, 30000], dockerfile.Ports);
        Assert.Equal("[\"dotnet\", \"OrleansMl.Silo.dll\"]", dockerfile.EntryPoint);
        Assert.Equal("/data", dockerfile.Environment["OrleansMl__DataDirectory"]);
        string[] secretWords = ["key", "password", "secret", "connectionstring", "sha256", "token"];
        Assert.DoesNotContain(dockerfile.Environment.Keys, k => secretWords.Any(w => k.Contains(w, StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain(dockerfile.Instructions, i => i.StartsWith("ARG ", StringComparison.OrdinalIgnoreCase) && secretWords.Any(w => i.Contains(w, StringComparison.OrdinalIgnoreCase)));
        // LightGBM's native library needs libgomp1, which the ASP.NET base image lacks.
        Assert.Contains(dockerfile.Instructions, i => i.StartsWith("RUN ", StringComparison.Ordinal) && i.Contains("libgomp1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_published_app_forms_a_cluster_with_the_containers_environment_and_a_silo_leaves_cleanly_on_SIGTERM()
    {
        var server = await azurite.GetServerAsync();
        var work = Directory.CreateTempSubdirectory("orleansml-container-");
        var processes = new List<PlatformProcess>();
        try
        {
            var app = Path.Combine(work.FullName, "app");
            await Shell.RunAsync("dotnet", ["publish", "src/OrleansMl.Silo/OrleansMl.Silo.csproj", "-c", "Release", "--no-build", "-o", app, "--nologo", "-p:UseAppHost=false"])
                .ContinueWith(t => t.Result.EnsureSuccess("dotnet publish"), TaskScheduler.Default);
            var publishedFiles = Snapshot(app);

            var image = new Dictionary<string, string>(BaseImageEnvironment);
            foreach (var (key, value) in Dockerfile.ReadFinalStage().Environment)
            {
                image[key] = value;
            }

            var unique = Guid.NewGuid().ToString("N")[..8];
            var ports = FreePorts.Take(7);
            Dictionary<string, string> Process(string role, int index, int http)
            {
                var environment = new Dictionary<string, string>(image)
                {
                    // What infra/ sets, with Azurite's connection string in place of the service URIs and identity.
                    ["OrleansMl__Role"] = role,
                    ["OrleansMl__ClusterId"] = "container" + unique,
                    ["OrleansMl__Storage__Mode"] = "AzureStorage",
                    ["OrleansMl__Storage__ConnectionString"] = server.ConnectionString,
                    ["OrleansMl__Storage__ClusteringTable"] = "Silos" + unique,
                    ["OrleansMl__Storage__GrainStateContainer"] = "state" + unique,
                    ["OrleansMl__Storage__ArtifactContainer"] = "artifacts" + unique,
                    ["OrleansMl__Metrics__Prometheus"] = "true",
                    // One machine holds all three "replicas": each its own ports and its own data volume.
                    ["ASPNETCORE_HTTP_PORTS"] = http.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["OrleansMl__SiloPort"] = ports[index * 2].ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["OrleansMl__GatewayPort"] = ports[(index * 2) + 1].ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["OrleansMl__DataDirectory"] = Directory.CreateDirectory(Path.Combine(work.FullName, $"data{index}")).FullName,
                    ["HOME"] = Directory.CreateDirectory(Path.Combine(work.FullName, $"home{index}")).FullName,
                };
                if (role == "Gateway")
                {
                    foreach (var (key, value) in TestApiKey.Configuration(new TestApiKey("admin", AdminKey, GatewayRole.Admin)))
                    {
                        environment[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
                    }
                }

                return environment;
            }

            // The gateway first, as an orchestrator may start it: it waits for the silos instead of exiting.
            var gateway = PlatformProcess.StartWithOnly("gateway", Path.Combine(app, "OrleansMl.Silo.dll"), Process("Gateway", 2, ports[6]), app);
            processes.Add(gateway);
            await Task.Delay(TimeSpan.FromSeconds(5));
            Assert.False(gateway.HasExited, "the gateway gave up without silos:\n" + gateway.Output);
            for (var i = 0; i < 2; i++)
            {
                processes.Add(PlatformProcess.StartWithOnly($"silo{i}", Path.Combine(app, "OrleansMl.Silo.dll"), Process("Silo", i, ports[4 + i]), app));
            }

            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports[6]}"), Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);

            var silos = await PlatformProcess.UntilAsync(processes, "two silos in /v1/cluster", TimeSpan.FromMinutes(2), async () => await Silos(client) is { Count: 2 } s ? s : null);
            // Each silo advertises the host's own address (not loopback), as a replica advertises its own.
            var advertised = OrleansMl.Hosting.Options.HostAddress.Resolve()!.ToString();
            Assert.All(silos, s => Assert.StartsWith($"S{advertised}:", s, StringComparison.Ordinal));

            using (var upload = await client.PostAsync("/v1/datasets/points/uploads?fileName=points.csv&wait=60&partitions=4",
                new StringContent("x,label\n1,a\n2,b\n3,a\n4,b\n5,a\n6,b\n7,a\n8,b\n")))
            {
                Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
            }

            // Metrics for a Prometheus scrape: the gateway's (admins) with its requests, each silo's (no key, internal port)
            // with its storage calls and, on one of them, the import's rows.
            var gatewayMetrics = await client.GetStringAsync("/metrics");
            Assert.Contains("http_server_request_duration", gatewayMetrics, StringComparison.Ordinal);
            Assert.Contains("orleans_", gatewayMetrics, StringComparison.Ordinal);
            var siloMetrics = new List<string>();
            foreach (var http in ports[4..6])
            {
                using var anonymous = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };
                siloMetrics.Add(await anonymous.GetStringAsync("/metrics"));
            }

            Assert.All(siloMetrics, m => Assert.Contains("http_client_request_duration", m, StringComparison.Ordinal));
            Assert.Contains(siloMetrics, m => m.Contains("orleansml_dataset_rows_total", StringComparison.Ordinal));

            // SIGTERM: the silo leaves the cluster and exits 0; the others know at once, not after failure detection (10 s or more).
            var (firstSilo, secondSilo) = (processes[1], processes[2]);
            Assert.Equal(0, await firstSilo.TerminateAsync(TimeSpan.FromSeconds(40)));
            Assert.Contains("Application is shutting down", firstSilo.Output, StringComparison.Ordinal);
            await PlatformProcess.UntilAsync(processes, "one silo after SIGTERM", TimeSpan.FromSeconds(5), async () => await Silos(client) is { Count: 1 } s ? s : null);

            // Its grains come back on the silo that stays: the dataset reads whole.
            var head = await PlatformProcess.UntilAsync(processes, "the dataset's head after the silo left", TimeSpan.FromMinutes(2), async () =>
            {
                using var response = await client.GetAsync("/v1/datasets/points/versions/latest/head?rows=100");
                return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : (JsonElement?)null;
            });
            Assert.Equal(8, head!.Value.GetProperty("rows").GetArrayLength());

            Assert.Equal(0, await gateway.TerminateAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(0, await secondSilo.TerminateAsync(TimeSpan.FromSeconds(40)));

            // Logs are JSON lines on stdout, one object per event.
            foreach (var process in processes)
            {
                var lines = process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                Assert.NotEmpty(lines);
                Assert.All(lines, line => Assert.True(IsLogEvent(line), $"{process.Name} printed a line that is not a JSON log event: {line}"));
            }

            // Nothing was written next to the app (the image's root file system can be read-only).
            Assert.Equal(publishedFiles, Snapshot(app));
        }
        finally
        {
            foreach (var process in processes)
            {
                process.Dispose();
            }

            work.Delete(recursive: true);
        }
    }

    private static bool IsLogEvent(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("Category", out _) && document.RootElement.TryGetProperty("Timestamp", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static List<string> Snapshot(string directory) =>
        [.. Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    private static async Task<List<string>?> Silos(HttpClient client)
    {
        using var response = await client.GetAsync("/v1/cluster");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }

        var cluster = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. cluster.GetProperty("silos").EnumerateArray().Select(s => s.GetProperty("address").GetString()!)];
    }
}
