using System.Diagnostics;

namespace OrleansMl.Bench.Serving;

/// <summary>
/// HTTP load from the Debian packages wrk (closed loop, as fast as it can: the maximum rate) and hey
/// (a fixed rate: latency at a given load), run as child processes on loopback. Installs them with
/// apt-get when they are missing.
/// </summary>
internal static partial class LoadGenerator
{
    private static readonly Lazy<Task> Installation = new(InstallAsync);

    /// <summary>Makes sure wrk and hey are on the PATH, installing the Debian packages once per process if not.</summary>
    public static Task EnsureInstalledAsync() => Installation.Value;

    private static async Task InstallAsync()
    {
        if (OnPath("wrk") && OnPath("hey"))
        {
            return;
        }

        string[] install = ["install", "-y", "--no-install-recommends", "wrk", "hey"];
        var (code, output) = await RunAsync("apt-get", install, TimeSpan.FromMinutes(5), CancellationToken.None);
        if (code != 0)
        {
            // A fresh machine may not have the package lists yet.
            await RunCheckedAsync("apt-get", ["update"], TimeSpan.FromMinutes(5), CancellationToken.None);
            (code, output) = await RunAsync("apt-get", install, TimeSpan.FromMinutes(5), CancellationToken.None);
        }

        if (code != 0 || !OnPath("wrk") || !OnPath("hey"))
        {
            throw new InvalidOperationException($"wrk and hey are needed for the serving bench and 'apt-get install -y wrk hey' did not provide them (exit {code}): {output}");
        }
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, tool)));

    private static async Task<string> RunCheckedAsync(string tool, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (code, output) = await RunAsync(tool, arguments, timeout, cancellationToken);
        return code == 0 ? output : throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} exited with {code}: {output}");
    }

    /// <summary>Runs a tool to the end (killing it after <paramref name="timeout"/>); returns its exit code and its standard output followed by its standard error.</summary>
    private static async Task<(int ExitCode, string Output)> RunAsync(string tool, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{tool} {string.Join(' ', start.ArgumentList)} ran longer than {timeout}; killed. Output: {await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>A scratch directory for a tool's script, removed after the run.</summary>
    private static string ScratchDirectory() => Directory.CreateTempSubdirectory("orleansml-load-").FullName;
}
