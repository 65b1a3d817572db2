using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansMl.Testing;

namespace OrleansMl.Deploy.Tests;

/// <summary>
/// `dotnet run --project src/OrleansMl.AppHost`, as docs/deploy.md tells a developer: Aspire starts Azurite, two silos
/// and the gateway; the gateway on :5080 sees both silos and the Aspire dashboard answers; Ctrl+C (SIGTERM) stops all.
/// </summary>
public sealed class AspireAppHostTests
{
    private static readonly Uri Gateway = new("http://localhost:5080");

    [Fact]
    public async Task The_app_host_starts_storage_two_silos_and_a_gateway_and_stops_them_all()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoPaths.Root };
        foreach (var argument in new[] { "run", "-c", Configuration, "--no-build", "--project", "src/OrleansMl.AppHost" })
        {
            start.ArgumentList.Add(argument);
        }

        var output = new System.Text.StringBuilder();
        using var host = Process.Start(start)!;
        host.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        host.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        string Log() { lock (output) { return output.ToString(); } }

        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var deadline = DateTime.UtcNow.AddMinutes(4);
            var silos = 0;
            while (silos != 2)
            {
                Assert.False(host.HasExited, "the app host exited:\n" + Log());
                Assert.True(DateTime.UtcNow < deadline, "no cluster of two silos behind :5080 within 4 minutes:\n" + Log());
                try
                {
                    var cluster = await client.GetFromJsonAsync<JsonElement>(new Uri(Gateway, "/v1/cluster"));
                    silos = cluster.GetProperty("silos").GetArrayLength();
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // Still starting.
                }

                await Task.Delay(1000);
            }

            Assert.Contains("Distributed application started", Log(), StringComparison.Ordinal);
            using var dashboard = await client.GetAsync("http://localhost:18888/");
            Assert.True((int)dashboard.StatusCode < 500, $"the Aspire dashboard answered {dashboard.StatusCode}");
        }
        finally
        {
            await StopAsync(host);
        }

        // Everything it started is gone: the gateway's port refuses connections.
        using var after = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => after.GetAsync(new Uri(Gateway, "/health/live")));
    }

    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>SIGTERM to `dotnet run` and the app host it started (Ctrl+C's effect); Aspire then stops what it runs. Killed after a minute.</summary>
    private static async Task StopAsync(Process host)
    {
        foreach (var pid in new[] { host.Id }.Concat(Children(host.Id)))
        {
            Shell.Signal(pid, "-TERM");
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await host.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            host.Kill(entireProcessTree: true);
        }

        // The orchestrator (DCP) stops the resources after the app host went (the silos and the gateway leave cleanly), then itself.
        // On a busy 2-core machine that has taken over a minute; what is still running after two is reported, and killed so no
        // process outlives the test either way.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (Leftovers().Any() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
        }

        var left = Leftovers().ToList();
        var named = left.Select(pid => $"{pid}: {CommandLine(pid).Replace('\0', ' ')}").ToList();
        foreach (var pid in left)
        {
            Shell.Signal(pid, "-KILL");
        }

        Assert.True(left.Count == 0, "still running two minutes after the app host was stopped:\n" + string.Join('\n', named));
    }

    private static IEnumerable<int> Leftovers() =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && CommandLine(pid) is var line
                && (line.Contains("aspire.hosting.orchestration", StringComparison.OrdinalIgnoreCase) || line.Contains("/src/OrleansMl.Silo/bin/", StringComparison.Ordinal) || line.Contains("aspire-azurite", StringComparison.Ordinal)));

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static IEnumerable<int> Children(int parent) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ParentOf(pid) == parent);

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
