using System.Diagnostics;

namespace OrleansMl.Testing;

/// <summary>Installs an npm package once per checkout under <c>.tools/{name}</c>; concurrent test processes wait for each other.</summary>
public static class NpmTool
{
    /// <summary>Installs <paramref name="package"/> (name@version) unless <paramref name="marker"/> (a path inside the install) exists.</summary>
    public static async Task<string> EnsureInstalledAsync(string name, string package, string marker, CancellationToken cancellationToken = default)
    {
        var prefix = Path.Combine(RepoPaths.Tools, name);
        var markerPath = Path.Combine(prefix, marker);
        // Written after npm finished: the marker file alone appears while npm is still unpacking the rest
        // (seen in CI: another test started Azurite mid-install and missed a module).
        var donePath = Path.Combine(RepoPaths.Tools, name + ".installed");
        if (File.Exists(donePath) && File.Exists(markerPath))
        {
            return prefix;
        }

        await using var installLock = await FileLock.AcquireAsync(Path.Combine(RepoPaths.Tools, name + ".lock"), cancellationToken);
        if (File.Exists(donePath) && File.Exists(markerPath))
        {
            return prefix;
        }

        var npm = new ProcessStartInfo("npm") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "install", "--prefix", prefix, package, "--no-audit", "--no-fund", "--loglevel=error" })
        {
            npm.ArgumentList.Add(arg);
        }

        using var process = Process.Start(npm) ?? throw new InvalidOperationException($"npm did not start; Node.js and npm are needed for {package}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 || !File.Exists(markerPath))
        {
            throw new InvalidOperationException($"npm install {package} failed with exit code {process.ExitCode}: {await stdout}{await stderr}");
        }

        await File.WriteAllTextAsync(donePath, package, cancellationToken);
        return prefix;
    }
}
