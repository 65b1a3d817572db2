using System.ComponentModel;
using System.Diagnostics;

namespace OrleansMl.Testing;

/// <summary>
/// Installs a Debian package that tests read files from (as root, with apt-get, running apt-get update
/// once when the package is unknown); concurrent test processes wait for each other on a machine-wide lock.
/// </summary>
public static class DebianPackage
{
    /// <summary>Installs <paramref name="package"/> unless <paramref name="isComplete"/> already holds.</summary>
    /// <exception cref="InvalidOperationException">The package is missing and cannot be installed here; the message says how to install it.</exception>
    public static void EnsureInstalled(string package, Func<bool> isComplete, string contents)
    {
        if (isComplete())
        {
            return;
        }

        var manual = $"Install it by hand as root on Debian or Ubuntu: 'apt-get update && apt-get install -y {package}'. It provides {contents}.";
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException($"The package {package} is not installed, and this test process cannot install it (it needs Linux with apt-get, run as root). {manual}");
        }

        // apt installs for the whole machine, so the lock is machine-wide rather than per checkout.
        using var installLock = AcquireFileLock(Path.Combine(Path.GetTempPath(), $"orleansml-{package}.lock"));
        if (isComplete())
        {
            return;
        }

        var (exitCode, output) = AptGet(manual, "install", "-y", "--no-install-recommends", package);
        if (exitCode != 0 && output.Contains("Unable to locate package", StringComparison.Ordinal))
        {
            var update = AptGet(manual, "update");
            if (update.ExitCode != 0)
            {
                throw new InvalidOperationException($"apt-get update failed with exit code {update.ExitCode}: {update.Output} {manual}");
            }

            (exitCode, output) = AptGet(manual, "install", "-y", "--no-install-recommends", package);
        }

        if (exitCode != 0 || !isComplete())
        {
            throw new InvalidOperationException($"apt-get install {package} failed with exit code {exitCode}, or left files missing: {output} {manual}");
        }
    }

    private static (int ExitCode, string Output) AptGet(string manual, params string[] args)
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
            process = Process.Start(start) ?? throw new InvalidOperationException($"apt-get did not start. {manual}");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"apt-get could not be run ({e.Message}). {manual}", e);
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
