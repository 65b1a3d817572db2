using System.Diagnostics;
using System.Text;

namespace OrleansMl.Testing;

/// <summary>An OrleansMl.Silo process started from the built binary, its output kept for failure messages.</summary>
public sealed class PlatformProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public PlatformProcess(string name, IEnumerable<string> arguments)
        : this(name, Start(SiloAssemblyPath, arguments, environment: null))
    {
    }

    private PlatformProcess(string name, ProcessStartInfo start)
    {
        Name = name;
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    /// <summary>
    /// Starts <paramref name="assemblyPath"/> (a published app) with exactly <paramref name="environment"/> and
    /// PATH, nothing inherited from the test process, in <paramref name="workingDirectory"/>.
    /// </summary>
    public static PlatformProcess StartWithOnly(string name, string assemblyPath, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var start = Start(assemblyPath, [], environment);
        start.WorkingDirectory = workingDirectory;
        return new PlatformProcess(name, start);
    }

    private static ProcessStartInfo Start(string assemblyPath, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(assemblyPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (environment is null)
        {
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        }
        else
        {
            var path = start.Environment["PATH"];
            start.Environment.Clear();
            start.Environment["PATH"] = path;
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }
        }

        return start;
    }

    /// <summary>Sends SIGTERM, as a container runtime does to stop a container, and waits up to <paramref name="timeout"/> for the exit code (null if it did not exit).</summary>
    public async Task<int?> TerminateAsync(TimeSpan timeout)
    {
        Shell.Signal(_process.Id, "-TERM");
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        Killed = true;
        return _process.ExitCode;
    }

    /// <summary>The silo binary of the same build configuration as the running assembly (tests, bench).</summary>
    public static string SiloAssemblyPath
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            return Path.Combine(RepoPaths.Root, "src", "OrleansMl.Silo", "bin", configuration, "net10.0", "OrleansMl.Silo.dll");
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Whether the test stopped it (<see cref="Dispose"/>), so its exit is expected.</summary>
    public bool Killed { get; private set; }

    /// <summary>The process id, for a profiler to attach to.</summary>
    public int Id => _process.Id;

    /// <summary>CPU time the process has used so far, all threads (read afresh on each call).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Polls <paramref name="probe"/> until it answers non-null, at most <paramref name="within"/>: errors while processes start or
    /// recover are expected (an <see cref="HttpRequestException"/> or a timeout is the last answer to report); fails with every
    /// process's output when time is up or one of them exited unasked.
    /// </summary>
    public static async Task<T> UntilAsync<T>(IReadOnlyList<PlatformProcess> processes, string what, TimeSpan within, Func<Task<T?>> probe)
    {
        var deadline = DateTime.UtcNow + within;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (processes.FirstOrDefault(p => !p.Killed && p.HasExited) is { } exited)
            {
                throw new InvalidOperationException($"{exited.Name} exited early:\n{exited.Output}");
            }

            try
            {
                if (await probe() is { } answer)
                {
                    return answer;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{what}: not in {within.TotalSeconds:0} s (last: {last})\n" + string.Join("\n", processes.Select(p => $"--- {p.Name}\n{p.Output}")));
    }

    public void Dispose()
    {
        Killed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
