using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using OrleansMl.Hosting.Options;
using OrleansMl.Testing;

namespace OrleansMl.Bench.Calls;

/// <summary>A real silo in this process, configured as the embedded mode configures it: local storage in a temp directory, free ports.</summary>
internal sealed class EmbeddedSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _dataDirectory;

    private EmbeddedSilo(IHost host, string dataDirectory)
    {
        _host = host;
        _dataDirectory = dataDirectory;
    }

    public IGrainFactory GrainFactory => _host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The silo's data directory (artifacts, grain state, backups).</summary>
    public string DataDirectory => _dataDirectory;

    public static async Task<EmbeddedSilo> StartAsync()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("orleansml-bench-silo-").FullName;
        var ports = FreePorts.Take(2);
        var options = new OrleansMlOptions
        {
            DataDirectory = dataDirectory,
            SiloPort = ports[0],
            GatewayPort = ports[1],
            Storage = { Mode = StorageMode.Local },
            Datasets = { ImportRoots = [Path.GetTempPath(), FashionMnist.DatasetDirectory] },
        };
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // The watchdog's first check after start-up reports a stall as long as the machine's uptime.
        builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        builder.UseOrleans(silo => silo.AddOrleansMl(options));
        var host = builder.Build();
        await host.StartAsync();
        return new EmbeddedSilo(host, dataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
