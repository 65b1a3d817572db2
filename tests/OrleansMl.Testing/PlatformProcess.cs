using System.Diagnostics;
using System.Text;

namespace OrleansMl.Testing;

/// <summary>An OrleansMl.Silo process started from the built binary, its output kept for failure messages.</summary>
public sealed class PlatformProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public PlatformProcess(string name, IEnumerable<string> arguments)
    {
        Name = name;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(SiloAssemblyPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

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
