using System.Diagnostics;
using OrleansMl.Cli;

namespace OrleansMl.Server.Quickstart;

/// <summary>
/// The Fashion-MNIST IDX files of the Debian package <c>dataset-fashion-mnist</c>, installed with
/// apt-get when they are missing and this process may (root on a Debian-like system).
/// </summary>
internal static class FashionMnistFiles
{
    public const string Folder = "/usr/share/datasets/fashion-mnist";
    public const string Package = "dataset-fashion-mnist";

    /// <summary>The classes, by label.</summary>
    public static readonly string[] Classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static (string Images, string Labels) Files(bool subset) => subset
        ? (Path.Combine(Folder, "t10k-images-idx3-ubyte.gz"), Path.Combine(Folder, "t10k-labels-idx1-ubyte.gz"))
        : (Path.Combine(Folder, "train-images-idx3-ubyte.gz"), Path.Combine(Folder, "train-labels-idx1-ubyte.gz"));

    /// <summary>Installs the package when the files are missing; returns why it could not, or null.</summary>
    public static async Task<string?> EnsureInstalledAsync(bool subset, Action<string> report, CancellationToken cancellationToken)
    {
        var (images, labels) = Files(subset);
        if (File.Exists(images) && File.Exists(labels))
        {
            return null;
        }

        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/apt-get") || Environment.UserName != "root")
        {
            return $"Fashion-MNIST is not in {Folder}. Install it with `sudo apt-get install {Package}` (Debian, Ubuntu), "
                + "or pass --images and --labels with the paths of Fashion-MNIST's IDX files.";
        }

        report($"Installing the Debian package {Package} (apt-get)…");
        foreach (var arguments in new[] { $"install -y --no-install-recommends {Package}", "update", $"install -y --no-install-recommends {Package}" })
        {
            if (await RunAsync("apt-get", arguments, cancellationToken) == 0 && File.Exists(images))
            {
                return null;
            }
        }

        return $"apt-get could not install {Package}; install it by hand, or pass --images and --labels.";
    }

    private static async Task<int> RunAsync(string file, string arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        await Task.WhenAll(output, error);
        return process.ExitCode;
    }
}
