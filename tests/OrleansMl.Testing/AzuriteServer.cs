using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace OrleansMl.Testing;

/// <summary>
/// A real Azure Storage emulator (Azurite, from npm) on free loopback ports with its own empty
/// data directory. Installs Azurite into <c>.tools/azurite</c> on first use; stops and deletes
/// everything on dispose.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    public const string Version = "3.35.0";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process _process;
    private readonly string _location;
    private readonly StringBuilder _output;

    private AzuriteServer(Process process, string location, StringBuilder output, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        _location = location;
        _output = output;
        BlobPort = blobPort;
        TablePort = tablePort;
        ConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;" +
            $"QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
    }

    public int BlobPort { get; }

    public int TablePort { get; }

    public string ConnectionString { get; }

    /// <summary>Stops the Azurite process (SIGSTOP): every storage call hangs, as when storage is unreachable, until <see cref="Resume"/>.</summary>
    public void Pause() => Shell.Signal(_process.Id, "-STOP");

    /// <summary>Lets a paused Azurite go on (SIGCONT).</summary>
    public void Resume() => Shell.Signal(_process.Id, "-CONT");

    public static string ScriptPath => Path.Combine(RepoPaths.Tools, "azurite", "node_modules", "azurite", "dist", "src", "azurite.js");

    public static async Task<AzuriteServer> StartAsync(CancellationToken cancellationToken = default)
    {
        await EnsureInstalledAsync(cancellationToken);
        var ports = FreePorts.Take(3);
        var location = Directory.CreateTempSubdirectory("orleansml-azurite-").FullName;
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            ScriptPath, "--silent", "--location", location, "--skipApiVersionCheck", "--disableTelemetry", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(arg);
        }

        var output = new StringBuilder();
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new AzuriteServer(process, location, output, ports[0], ports[1], ports[2]);
        try
        {
            await server.WaitUntilListeningAsync(ports[0], cancellationToken);
            await server.WaitUntilListeningAsync(ports[2], cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Installs Azurite with npm once per checkout; concurrent test processes wait for each other.</summary>
    public static Task EnsureInstalledAsync(CancellationToken cancellationToken = default) =>
        NpmTool.EnsureInstalledAsync("azurite", $"azurite@{Version}", Path.Combine("node_modules", "azurite", "dist", "src", "azurite.js"), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp directory is cleaned by the OS.
        }
    }

    private async Task WaitUntilListeningAsync(int port, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode}: {Output()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        throw new TimeoutException($"Azurite did not listen on port {port} within 60 s: {Output()}");
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }
}
