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

    /// <summary>Every image of a file pair, row-major 784 floats each, and the labels; read batch by batch (a batch is bounded in bytes).</summary>
    public static (float[] Pixels, long[] Labels) Read(string images, string labels)
    {
        using var reader = OrleansMl.Data.Formats.Images.IdxDatasetReader.Open(PathOf(images), PathOf(labels));
        var pixels = new List<float>((int)reader.ImageCount * 784);
        var classes = new List<long>((int)reader.ImageCount);
        while (reader.ReadBatch(int.MaxValue) is { } batch)
        {
            pixels.AddRange(((OrleansMl.Data.Columns.VectorColumn)batch["pixels"]).Values);
            classes.AddRange(((OrleansMl.Data.Columns.Int64Column)batch["label"]).Values);
        }

        return ([.. pixels], [.. classes]);
    }

    private static bool IsComplete() =>
        new[] { TrainImages, TrainLabels, TestImages, TestLabels }.All(f => File.Exists(Path.Combine(DatasetDirectory, f)));

    private static string Install()
    {
        DebianPackage.EnsureInstalled(Package, IsComplete, $"{TrainImages}, {TrainLabels}, {TestImages} and {TestLabels} in {DatasetDirectory}");
        return DatasetDirectory;
    }
}
