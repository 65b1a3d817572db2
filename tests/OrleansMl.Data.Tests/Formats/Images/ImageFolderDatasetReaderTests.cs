using OrleansMl.Testing;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats;
using OrleansMl.Data.Formats.Images;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Tests.Formats.Images;

public sealed class ImageFolderDatasetReaderTests : IDisposable
{
    /// <summary>16x8 baseline JPEG made with cjpeg -quality 100 -sample 1x1: left half (200, 40, 40), right half (40, 40, 200).</summary>
    private const string TwoColourJpeg =
        "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQH/" +
        "2wBDAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQH/wAARCAAIABADAREAAhEBAxEB/8QAFQAB" +
        "AQAAAAAAAAAAAAAAAAAACAn/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAACgj/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIR" +
        "AxEAPwCX6JygAPNYEXf/2Q==";

    private readonly string _root = Directory.CreateTempSubdirectory("orleansml-images-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void AssignsLabelsFromSubFoldersInOrdinalOrder()
    {
        foreach (var path in new[] { "b/2.png", "b/10.png", "a/z.png", "B/x/1.png", "B/0.png" })
        {
            Write(path, PngWriter.Uniform(3, 3, 9));
        }

        using var reader = Open(2, 2);
        var batches = ReadAll(reader, maxRows: 2);

        Assert.Equal(["B", "a", "b"], reader.Classes);
        Assert.Equal([2, 2, 1], batches.Select(b => b.RowCount));
        var all = ColumnBatch.Concat(reader.Schema, batches);
        Assert.Equal(["B/0.png", "B/x/1.png", "a/z.png", "b/10.png", "b/2.png"], Strings(all["path"]));
        Assert.Equal(["B", "B", "a", "b", "b"], Strings(all["label"]));
        Assert.Equal(5, reader.RowsRead);
        Assert.Equal(Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length), reader.BytesRead);
    }

    [Fact]
    public void HasLabelPathAndPixelColumns()
    {
        Write("cat/1.png", PngWriter.Uniform(1, 1, 0));

        using var reader = Open(28, 20, channels: 3);

        Assert.Equal(
            new DatasetSchema(
            [
                new ColumnSchema("label", ColumnType.Categorical),
                new ColumnSchema("path", ColumnType.String),
                new ColumnSchema("pixels", ColumnType.Vector, 28 * 20 * 3),
            ]),
            reader.Schema);
    }

    [Fact]
    public void UniformImagesStayUniformWhenShrunkOrEnlarged()
    {
        Write("gray/big.png", PngWriter.Uniform(37, 23, 200));
        Write("gray/small.png", PngWriter.Uniform(5, 3, 200));
        Write("rgb/big.png", PngWriter.Uniform(50, 41, 10, 100, 250));
        Write("rgb/small.png", PngWriter.Uniform(2, 7, 10, 100, 250));

        var gray = Pixels(Open(28, 28), 4);
        var rgb = Pixels(Open(28, 28, channels: 3), 4);

        Assert.All(gray.Take(2), image => Assert.All(image, p => Assert.Equal(200f, p)));
        Assert.All(rgb.Take(2), image => Assert.Equal(Repeat([200f, 200f, 200f], 28 * 28), image));
        Assert.All(rgb.Skip(2), image => Assert.Equal(Repeat([10f, 100f, 250f], 28 * 28), image));
    }

    [Fact]
    public void HalvingAveragesEachTwoByTwoBlock()
    {
        byte[] pattern =
        [
            0, 10, 100, 200,
            20, 30, 50, 50,
            1, 3, 255, 255,
            5, 7, 255, 250,
        ];
        Write("a/pattern.png", PngWriter.Encode(4, 4, 1, pattern));

        var pixels = Assert.Single(Pixels(Open(2, 2), 1));

        Assert.Equal([15f, 100f, 4f, 253.75f], pixels);
    }

    [Fact]
    public void HalvingAnRgbImageAveragesEachChannel()
    {
        byte[] pattern =
        [
            10, 20, 30, 30, 40, 50, 0, 0, 0, 255, 255, 255,
            50, 60, 70, 70, 80, 90, 1, 2, 3, 3, 2, 1,
        ];
        Write("a/rgb.png", PngWriter.Encode(4, 2, 3, pattern));

        var pixels = Assert.Single(Pixels(Open(2, 1, channels: 3), 1));

        Assert.Equal([40f, 50f, 60f, 64.75f, 64.75f, 64.75f], pixels);
    }

    [Fact]
    public void ShrinkingByANonIntegerFactorWeighsPartlyCoveredPixels()
    {
        Write("a/row.png", PngWriter.Encode(3, 1, 1, [0, 90, 180]));

        var pixels = Assert.Single(Pixels(Open(2, 1), 1));

        // Output 0 covers source [0, 1.5): (0 + 0.5 * 90) / 1.5; output 1 covers [1.5, 3).
        Assert.Equal([30f, 150f], pixels);
    }

    [Fact]
    public void EnlargingInterpolatesBilinearly()
    {
        Write("a/row.png", PngWriter.Encode(2, 1, 1, [0, 100]));

        var pixels = Assert.Single(Pixels(Open(4, 2), 1));

        Assert.Equal([0f, 25f, 75f, 100f, 0f, 25f, 75f, 100f], pixels);
    }

    [Fact]
    public void GrayscaleIsTheLuminanceOfRgb()
    {
        Write("a/red.png", PngWriter.Uniform(2, 2, 255, 0, 0));
        Write("b/green.png", PngWriter.Uniform(2, 2, 0, 255, 0));
        Write("c/blue.png", PngWriter.Uniform(2, 2, 0, 0, 255, 128));

        var pixels = Pixels(Open(1, 1), 3);

        Assert.Equal(0.299f * 255, pixels[0][0], 0.001f);
        Assert.Equal(0.587f * 255, pixels[1][0], 0.001f);
        Assert.Equal(0.114f * 255, pixels[2][0], 0.001f);
    }

    [Fact]
    public void GrayImagesGiveThreeEqualChannelsAndAlphaIsDropped()
    {
        Write("a/gray-alpha.png", PngWriter.Uniform(3, 3, 70, 0));
        Write("b/rgba.png", PngWriter.Uniform(3, 3, 1, 2, 3, 4));

        var pixels = Pixels(Open(1, 1, channels: 3), 2);

        Assert.Equal([70f, 70f, 70f], pixels[0]);
        Assert.Equal([1f, 2f, 3f], pixels[1]);
    }

    [Fact]
    public void ReadsJpeg()
    {
        Write("a/two.jpg", Convert.FromBase64String(TwoColourJpeg));

        var pixels = Assert.Single(Pixels(Open(2, 1, channels: 3), 1));

        float[] expected = [200, 40, 40, 40, 40, 200];
        Assert.All(pixels.Zip(expected), p => Assert.InRange(p.First, p.Second - 3, p.Second + 3));
    }

    [Fact]
    public void ReadsBmp()
    {
        Write("a/image.bmp", BmpWriter.Encode(3, 2, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]));

        var pixels = Assert.Single(Pixels(Open(3, 2, channels: 3), 1));

        Assert.Equal(Enumerable.Range(1, 18).Select(i => (float)i), pixels);
    }

    [Fact]
    public void CorruptFileFailsNamingTheFile()
    {
        Write("cat/1.png", PngWriter.Uniform(2, 2, 1));
        Write("cat/notes.png", "not an image"u8.ToArray());

        using var reader = Open(2, 2);

        var error = Assert.Throws<DataFormatException>(() => reader.ReadBatch(10));
        Assert.Equal(Path.Combine(_root, "cat/notes.png"), error.Source);
        Assert.Contains("not a PNG, JPEG, BMP or GIF image", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedImageFailsNamingTheFile()
    {
        var png = PngWriter.Uniform(4, 4, 1, 2, 3);
        Write("cat/half.png", png[..^20]);

        using var reader = Open(2, 2);

        var error = Assert.Throws<DataFormatException>(() => reader.ReadBatch(10));
        Assert.Equal($"{Path.Combine(_root, "cat/half.png")}: the image could not be decoded: the data is corrupt or truncated.", error.Message);
    }

    [Fact]
    public void ImagesOverThePixelLimitAreBadFiles()
    {
        Write("cat/big.png", PngWriter.Uniform(20, 10, 1));
        Write("cat/small.png", PngWriter.Uniform(10, 10, 1));

        using var reader = new ImageFolderDatasetReader(
            _root, new ImageFolderReaderOptions { Width = 2, Height = 2, MaxSourcePixels = 100, BadFiles = BadRecordPolicy.Skip });
        var batch = Assert.Single(ReadAll(reader, 10));

        Assert.Equal(["cat/small.png"], Strings(batch["path"]));
        var skipped = Assert.Single(reader.SkippedFiles);
        Assert.Equal(new SkippedImage("cat/big.png", "the image is 20 x 10 pixels, more than MaxSourcePixels (100) allows."), skipped);
    }

    [Fact]
    public void CorruptFilesAreSkippedAndListedUnderSkipPolicy()
    {
        var png = PngWriter.Uniform(4, 4, 1, 2, 3);
        Write("cat/1.png", png);
        Write("cat/2.png", png[..(png.Length / 2)]);
        Write("dog/readme.txt", "not an image"u8.ToArray());
        Write("dog/3.png", png);

        using var reader = Open(2, 2, badFiles: BadRecordPolicy.Skip);
        var batch = Assert.Single(ReadAll(reader, 10));

        Assert.Equal(["cat/1.png", "dog/3.png"], Strings(batch["path"]));
        Assert.Equal(["cat/2.png", "dog/readme.txt"], reader.SkippedFiles.Select(s => s.Path));
        Assert.All(reader.SkippedFiles, s => Assert.False(string.IsNullOrWhiteSpace(s.Reason)));
        Assert.Equal(4, reader.FileCount);
    }

    [Fact]
    public void OnlyBadFilesGiveNoBatchUnderSkipPolicy()
    {
        Write("cat/bad.png", [1, 2, 3]);

        using var reader = Open(2, 2, badFiles: BadRecordPolicy.Skip);

        Assert.Null(reader.ReadBatch(10));
        Assert.Single(reader.SkippedFiles);
    }

    [Fact]
    public void RejectsFilesDirectlyInTheRoot()
    {
        Write("cat/1.png", PngWriter.Uniform(2, 2, 1));
        Write("stray.png", PngWriter.Uniform(2, 2, 1));

        var error = Assert.Throws<DataFormatException>(() => Open(2, 2));

        Assert.Contains("'stray.png'", error.Message, StringComparison.Ordinal);
        Assert.Contains("images must be in sub-folders named by label", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsAnEmptyFolder()
    {
        var error = Assert.Throws<DataFormatException>(() => Open(2, 2));

        Assert.Equal(_root, error.Source);
        Assert.Contains("has no sub-folders", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsSubFoldersWithoutFiles()
    {
        Directory.CreateDirectory(Path.Combine(_root, "cat"));
        Directory.CreateDirectory(Path.Combine(_root, "dog"));

        var error = Assert.Throws<DataFormatException>(() => Open(2, 2));

        Assert.Contains("the sub-folders (cat, dog) hold no files", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsAMissingFolder()
    {
        var missing = Path.Combine(_root, "missing");

        var error = Assert.Throws<DataFormatException>(() => new ImageFolderDatasetReader(missing, new() { Width = 2, Height = 2 }));

        Assert.Equal($"{missing}: the image folder does not exist.", error.Message);
    }

    [Fact]
    public void IgnoresHiddenFilesAndFolders()
    {
        Write(".DS_Store", [0]);
        Write("cat/.DS_Store", [0]);
        Write(".git/config", [0]);
        Write("cat/1.png", PngWriter.Uniform(2, 2, 1));

        using var reader = Open(2, 2);

        Assert.Equal(["cat"], reader.Classes);
        Assert.Equal(1, reader.FileCount);
    }

    [Theory]
    [InlineData(0, 28, 1, "Width is 0")]
    [InlineData(28, 5000, 1, "Height is 5000")]
    [InlineData(28, 28, 2, "Channels is 2")]
    public void RejectsInvalidOptions(int width, int height, int channels, string message)
    {
        Write("cat/1.png", PngWriter.Uniform(2, 2, 1));

        var error = Assert.Throws<ArgumentException>(() => Open(width, height, channels));

        Assert.Contains($"ImageFolderReaderOptions.{message}", error.Message, StringComparison.Ordinal);
    }

    private ImageFolderDatasetReader Open(int width, int height, int channels = 1, BadRecordPolicy badFiles = BadRecordPolicy.Fail) =>
        new(_root, new ImageFolderReaderOptions { Width = width, Height = height, Channels = channels, BadFiles = badFiles });

    private void Write(string relativePath, byte[] content)
    {
        var path = Path.Combine(_root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
    }

    private static List<ColumnBatch> ReadAll(ImageFolderDatasetReader reader, int maxRows)
    {
        var batches = new List<ColumnBatch>();
        while (reader.ReadBatch(maxRows) is { } batch)
        {
            batches.Add(batch);
        }

        return batches;
    }

    /// <summary>The pixel vectors of every image, after checking how many there are.</summary>
    private static List<float[]> Pixels(ImageFolderDatasetReader reader, int expectedImages)
    {
        using (reader)
        {
            var vectors = (VectorColumn)ColumnBatch.Concat(reader.Schema, ReadAll(reader, 100))["pixels"];
            Assert.Equal(expectedImages, vectors.Length);
            return [.. Enumerable.Range(0, vectors.Length).Select(i => vectors.Row(i).ToArray())];
        }
    }

    private static string[] Strings(Column column) => [.. ((StringColumn)column).Values.ToArray().Select(v => v ?? "(null)")];

    private static float[] Repeat(float[] pixel, int count) => [.. Enumerable.Repeat(pixel, count).SelectMany(p => p)];
}
