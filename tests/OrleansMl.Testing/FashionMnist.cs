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

    /// <summary>The dataset directory, after installing the package if it is missing.</summary>
    /// <exception cref="InvalidOperationException">The package is missing and cannot be installed here.</exception>
    public static string EnsureInstalled() => Installed.Value;

    /// <summary>The path of one of the dataset's files, e.g. <see cref="TestImages"/>.</summary>
    public static string PathOf(string file) => Path.Combine(EnsureInstalled(), file);

    private static bool IsComplete() =>
        new[] { TrainImages, TrainLabels, TestImages, TestLabels }.All(f => File.Exists(Path.Combine(DatasetDirectory, f)));

    private static string Install()
    {
        DebianPackage.EnsureInstalled(Package, IsComplete, $"{TrainImages}, {TrainLabels}, {TestImages} and {TestLabels} in {DatasetDirectory}");
        return DatasetDirectory;
    }
}
