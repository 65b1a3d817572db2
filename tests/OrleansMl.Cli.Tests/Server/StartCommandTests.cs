using System.Globalization;
using OrleansMl.Testing;

namespace OrleansMl.Cli.Tests.Server;

public sealed class StartCommandTests
{
    [Fact]
    public async Task StartedServerAnswersCommandsAndStopsOnCancellation()
    {
        var data = Directory.CreateTempSubdirectory("orleansml-cli-server-").FullName;
        try
        {
            var ports = FreePorts.Take(3).Select(p => p.ToString(CultureInfo.InvariantCulture)).ToArray();
            var url = $"http://127.0.0.1:{ports[0]}";
            using var stop = new CancellationTokenSource();
            var server = Cli.RunServerAsync(
                ["start", "--urls", url, "--silo-port", ports[1], "--gateway-port", ports[2], "--data-dir", data, "--OrleansMl:Dashboard=false"],
                stop.Token);

            // No key configured and none given: a local development platform without authentication.
            CliResult? list = null;
            for (var attempt = 0; attempt < 120 && !server.IsCompleted; attempt++)
            {
                list = await Cli.RunAsync(["dataset", "list", "--url", url, "-o", "json"]);
                if (list.ExitCode == ExitCodes.Ok)
                {
                    break;
                }

                await Task.Delay(500);
            }

            Assert.False(server.IsCompleted, server.IsCompleted ? (await server).ToString() : null);
            Assert.Equal(ExitCodes.Ok, list?.ExitCode);
            Assert.Equal(0, list!.Json.GetArrayLength());

            await stop.CancelAsync();
            var stopped = await server.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(stopped.ExitCode == ExitCodes.Ok, stopped.ToString());
            Assert.Contains("authentication OFF", stopped.Out, StringComparison.Ordinal);
            Assert.True(Directory.EnumerateFileSystemEntries(data).Any(), "the data directory is used");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task BothUrlsAndPortIsAUsageError()
    {
        var result = await Cli.RunServerAsync(["start", "--urls", "http://localhost:1", "--port", "2"]);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--urls or --port", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheClientToolSaysWhereTheServerWent()
    {
        var result = await Cli.RunAsync(["server", "start", "--port", "5080"]);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("orleansml-server start", result.Err, StringComparison.Ordinal);
    }
}
