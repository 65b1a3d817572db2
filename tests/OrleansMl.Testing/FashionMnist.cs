using System.ComponentModel;
using System.Diagnostics;

namespace OrleansMl.Testing;

/// <summary>
/// The Fashion-MNIST dataset as Debian's <c>dataset-fashion-mnist</c> package ships it: four gzip IDX
/// files in <see cref="DatasetDirectory"/>. Installs the package on first use (as root, with apt-get);
/// concurrent test processes wait for each other.
/// </summary>
public static class FashionMnist
{
    public const string Package = "dataset-fashion-mnist";

    public const string DatasetDirectory = "/usr/share/datasets/fashion-mnist";

    public const string TrainImages = "train-images-idx3-ubyte.gz";

    public const string TrainLabels = "train-labels-idx1-ubyte.gz";

    public const string TestImages = "t10k-images-idx3-ubyte.gz";

    public const string TestLabels = "t10k-labels-idx1-ubyte.gz";

    private static readonly Lazy<string> Installed = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    private static string ManualSteps =>
        $"Install it by hand as root on Debian or Ubuntu: 'apt-get update && apt-get install -y {Package}'. " +
        $"It puts {TrainImages}, {TrainLabels}, {TestImages} and {TestLabels} in {DatasetDirectory}.";

    /// <summary>The dataset directory, after installing the package if it is missing.</summary>
    /// <exception cref="InvalidOperationException">The package is missing and cannot be installed here.</exception>
    public static string EnsureInstalled() => Installed.Value;

    /// <summary>The path of one of the dataset's files, e.g. <see cref="TestImages"/>.</summary>
    public static string PathOf(string file) => Path.Combine(EnsureInstalled(), file);

    private static bool IsComplete() =>
        new[] { TrainImages, TrainLabels, TestImages, TestLabels }.All(f => File.Exists(Path.Combine(DatasetDirectory, f)));

    private static string Install()
    {
        if (IsComplete())
        {
            return DatasetDirectory;
        }

        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException(
                $"Fashion-MNIST is not installed in {DatasetDirectory}, and this test process cannot install it (it needs Linux with apt-get, run as root). {ManualSteps}");
        }

        // apt installs for the whole machine, so the lock is machine-wide rather than per checkout.
        using var installLock = AcquireFileLock(Path.Combine(Path.GetTempPath(), "orleansml-fashion-mnist.lock"));
        if (IsComplete())
        {
            return DatasetDirectory;
        }

        var (exitCode, output) = AptGet("install", "-y", "--no-install-recommends", Package);
        if (exitCode != 0 && output.Contains("Unable to locate package", StringComparison.Ordinal))
        {
            var update = AptGet("update");
            if (update.ExitCode != 0)
            {
                throw new InvalidOperationException($"apt-get update failed with exit code {update.ExitCode}: {update.Output} {ManualSteps}");
            }

            (exitCode, output) = AptGet("install", "-y", "--no-install-recommends", Package);
        }

        if (exitCode != 0 || !IsComplete())
        {
            throw new InvalidOperationException(
                $"apt-get install {Package} failed with exit code {exitCode}, or left files missing in {DatasetDirectory}: {output} {ManualSteps}");
        }

        return DatasetDirectory;
    }

    private static (int ExitCode, string Output) AptGet(params string[] args)
    {
        var start = new ProcessStartInfo("apt-get")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";

        // Wait for another apt or dpkg run to release the package database instead of failing at once.
        start.ArgumentList.Add("-o");
        start.ArgumentList.Add("DPkg::Lock::Timeout=600");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"apt-get did not start. {ManualSteps}");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"apt-get could not be run ({e.Message}); Fashion-MNIST is not installed in {DatasetDirectory}. {ManualSteps}", e);
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout + stderr.GetAwaiter().GetResult());
        }
    }

    private static FileStream AcquireFileLock(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(15);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(250);
            }
        }
    }
}
