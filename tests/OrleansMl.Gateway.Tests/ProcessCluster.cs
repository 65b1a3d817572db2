using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using OrleansMl.Gateway.Security;
using OrleansMl.Testing;

namespace OrleansMl.Gateway.Tests;

/// <summary>
/// The scale-out layout as separate processes: silo processes and a gateway process forming one cluster
/// through Azure Table membership on Azurite, grain state and artifacts in Azure Blob, mutual TLS with one
/// cluster certificate. The admin client talks to the gateway process.
/// </summary>
internal sealed class ProcessCluster : IDisposable
{
    private readonly List<PlatformProcess> _processes = [];
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("orleansml-cluster-");

    private ProcessCluster(int silos)
    {
        Ports = FreePorts.Take((silos * 3) + 1);
        Certificate = ClusterCertificate.Create(_directory.FullName, "orleansml-cluster", out var path, out var password);
        CertificateArguments = ["--OrleansMl:Tls:CertificatePath=" + path, "--OrleansMl:Tls:CertificatePassword=" + password];
    }

    /// <summary>Silo i listens on <c>Ports[3i]</c> (silo-to-silo), <c>Ports[3i+1]</c> (gateway), <c>Ports[3i+2]</c> (HTTP); the gateway process on the last.</summary>
    public int[] Ports { get; }

    public X509Certificate2 Certificate { get; }

    /// <summary>A folder the silos may import from.</summary>
    public string ImportDirectory => _directory.FullName;

    public HttpClient Admin { get; private set; } = null!;

    public IReadOnlyList<PlatformProcess> Silos => _processes.SkipLast(1).ToList();

    private string[] CertificateArguments { get; }

    public static async Task<ProcessCluster> StartAsync(AzuriteServer server, int silos)
    {
        var cluster = new ProcessCluster(silos);
        var unique = Guid.NewGuid().ToString("N")[..8];
        string[] shared =
        [
            .. cluster.CertificateArguments,
            "--OrleansMl:ClusterId=ci" + unique,
            "--OrleansMl:Storage:Mode=AzureStorage",
            "--OrleansMl:Storage:ConnectionString=" + server.ConnectionString,
            "--OrleansMl:Storage:ClusteringTable=Silos" + unique,
            "--OrleansMl:Storage:GrainStateContainer=state" + unique,
            "--OrleansMl:Storage:ArtifactContainer=artifacts" + unique,
            "--OrleansMl:Datasets:ImportRoots:0=" + cluster.ImportDirectory,
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:OrleansMl.Datasets.DatasetImporter=Information", // tells a test which silo runs an import
            "--Logging:LogLevel:OrleansMl.Datasets.PartitionGrain=Information", // and which silos hold torch replicas
        ];
        var ports = cluster.Ports;
        for (var i = 0; i < silos; i++)
        {
            cluster._processes.Add(new PlatformProcess($"silo{i}", [.. shared, "--role", "silo", $"--OrleansMl:SiloPort={ports[i * 3]}", $"--OrleansMl:GatewayPort={ports[(i * 3) + 1]}", "--urls", $"http://127.0.0.1:{ports[(i * 3) + 2]}"]));
        }

        var gateway = new Uri($"http://127.0.0.1:{ports[^1]}");
        cluster._processes.Add(new PlatformProcess("gateway", [
            .. shared, "--role", "gateway", "--urls", gateway.ToString(), .. TestApiKey.Arguments(new TestApiKey("ci", TestKeys.Admin, GatewayRole.Admin))]));
        cluster.Admin = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(60) };
        cluster.Admin.DefaultRequestHeaders.Add("X-Api-Key", TestKeys.Admin);
        await cluster.WaitUntilAsync("/health/ready", r => r.StatusCode == HttpStatusCode.OK);
        await cluster.WaitUntilAsync("/v1/cluster", r => r.IsSuccessStatusCode && SiloCount(r) == silos);
        return cluster;
    }

    /// <summary>The active silos the cluster lists in an answer of <c>/v1/cluster</c>.</summary>
    public static int SiloCount(HttpResponseMessage response) =>
        response.Content.ReadFromJsonAsync<JsonElement>().Result.GetProperty("silos").GetArrayLength();

    /// <summary>Kills silo <paramref name="index"/>'s process at once, as kill -9 would.</summary>
    public void Kill(int index) => _processes[index].Dispose();

    /// <summary>The first silo whose output shows <paramref name="text"/>, waiting up to a minute; -1 when none does.</summary>
    public async Task<int> SiloThatLoggedAsync(string text)
    {
        for (var waited = 0; waited < 600; waited++)
        {
            for (var i = 0; i < _processes.Count - 1; i++)
            {
                if (!_processes[i].Killed && _processes[i].Output.Contains(text, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            await Task.Delay(100);
        }

        return -1;
    }

    /// <summary>Polls <paramref name="path"/> until <paramref name="done"/> says so (errors while the cluster recovers are expected), at most 3 minutes.</summary>
    public Task WaitUntilAsync(string path, Func<HttpResponseMessage, bool> done) =>
        PlatformProcess.UntilAsync(_processes, path, TimeSpan.FromMinutes(3), async () =>
        {
            using var response = await Admin.GetAsync(path);
            return done(response)
                ? (object)true
                : throw new HttpRequestException($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        });

    public void Dispose()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            process.Dispose();
        }

        Admin?.Dispose();
        Certificate.Dispose();
        _directory.Delete(recursive: true);
    }
}
