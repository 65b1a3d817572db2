using System.IO.Compression;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats.Images;
using OrleansMl.Testing;

namespace OrleansMl.Data.Tests.Formats.Images;

/// <summary>The real Fashion-MNIST test set (10,000 gzip IDX images), installed from Debian's package when missing.</summary>
public sealed class FashionMnistIdxTests
{
    [Fact]
    public void ReadsTheFashionMnistTestSet()
    {
        var imagesPath = FashionMnist.PathOf(FashionMnist.TestImages);
        var labelsPath = FashionMnist.PathOf(FashionMnist.TestLabels);
        var raw = Gunzip(imagesPath);
        using var reader = IdxDatasetReader.Open(imagesPath, labelsPath);

        var labelCounts = new int[10];
        var pixels = new List<float[]>();
        long rows = 0;
        while (reader.ReadBatch(4096) is { } batch)
        {
            var vectors = (VectorColumn)batch["pixels"];
            Assert.Equal(784, vectors.Dimension);
            foreach (var label in ((Int64Column)batch["label"]).Values)
            {
                labelCounts[label]++;
            }

            pixels.Add(vectors.UnsafeArray);
            rows += batch.RowCount;
        }

        Assert.Equal((28, 28), (reader.ImageHeight, reader.ImageWidth));
        Assert.Equal(10_000, rows);
        Assert.All(labelCounts, count => Assert.Equal(1_000, count));
        var firstImageSum = 0L;
        for (var i = 16; i < 16 + 784; i++)
        {
            firstImageSum += raw[i];
        }

        Assert.Equal(firstImageSum, pixels[0].AsSpan(0, 784).ToArray().Sum(p => (long)p));
        Assert.Equal(-1, FirstMismatch(raw.AsSpan(16), [.. pixels.SelectMany(p => p)]));
        var fileBytes = new FileInfo(imagesPath).Length + new FileInfo(labelsPath).Length;
        Assert.InRange(reader.BytesRead, fileBytes * 9 / 10, fileBytes);
    }

    private static int FirstMismatch(ReadOnlySpan<byte> expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (actual[i] != expected[i])
            {
                return i;
            }
        }

        return -1;
    }

    private static byte[] Gunzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }
}
