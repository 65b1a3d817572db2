using System.Diagnostics;

namespace OrleansMl.Testing;

/// <summary>Runs a command to its end and answers its exit code and output, for tests that drive the SDK or a CLI.</summary>
public static class Shell
{
    public sealed record Result(int ExitCode, string Output)
    {
        /// <summary>This result, or a failure that shows the command and everything it printed.</summary>
        public Result EnsureSuccess(string what) =>
            ExitCode == 0 ? this : throw new InvalidOperationException($"{what} exited with {ExitCode}:\n{Output}");
    }

    /// <summary>Sends a signal (<c>-TERM</c>, <c>-STOP</c>, <c>-CONT</c>) to a process, as a container runtime or a terminal does.</summary>
    public static void Signal(int processId, string signal)
    {
        using var kill = Process.Start("kill", [signal, processId.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            ?? throw new InvalidOperationException("kill did not start.");
        kill.WaitForExit();
    }

    public static async Task<Result> RunAsync(
        string fileName, IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.WorkingDirectory = workingDirectory ?? RepoPaths.Root;
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} ran past {timeout ?? TimeSpan.FromMinutes(5)}:\n{await stdout}{await stderr}");
        }

        return new Result(process.ExitCode, await stdout + await stderr);
    }
}
