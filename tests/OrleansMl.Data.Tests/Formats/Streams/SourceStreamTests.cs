using System.IO.Compression;
using System.Text;
using OrleansMl.Data.Formats;
using OrleansMl.Data.Formats.Streams;

namespace OrleansMl.Data.Tests.Formats.Streams;

public sealed class SourceStreamTests
{
    [Fact]
    public void PlainTextPassesThroughWhateverItsName()
    {
        var bytes = Encoding.UTF8.GetBytes("a,b\n1,2\n");
        using var source = SourceStream.Open(new MemoryStream(bytes), "rows.csv.gz", maxExpandedBytes: 4);

        Assert.False(source.IsGzip);
        Assert.Equal("a,b\n1,2\n", new StreamReader(source.Data).ReadToEnd()); // the cap is for gzip only
        Assert.Equal(bytes.Length, source.SourceBytesRead);
    }

    [Fact]
    public void GzipIsToldByItsBytesAndDecompressed()
    {
        var text = string.Concat(Enumerable.Range(0, 10_000).Select(i => $"{i},{i * 2}\n"));
        var compressed = Gzip(text);
        using var source = SourceStream.Open(new MemoryStream(compressed), "rows.csv", maxExpandedBytes: 1 << 20);

        Assert.True(source.IsGzip);
        Assert.Equal(text, new StreamReader(source.Data).ReadToEnd());
        Assert.Equal(compressed.Length, source.SourceBytesRead);
    }

    [Fact]
    public void GzipThatExpandsPastTheCapIsRefusedNamingTheSetting()
    {
        using var source = SourceStream.Open(new MemoryStream(Gzip(new string('0', 5_000_000))), "bomb.csv.gz", maxExpandedBytes: 1_000_000);

        var error = Assert.Throws<DataFormatException>(() => source.Data.CopyTo(Stream.Null));
        Assert.Equal("bomb.csv.gz", error.Source);
        Assert.Contains("MaxArchiveBytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DamagedGzipIsADataFormatErrorNotAnInternalOne()
    {
        var compressed = Gzip(string.Concat(Enumerable.Range(0, 10_000).Select(i => $"{i}\n")));
        compressed[compressed.Length / 2] ^= 0xFF;
        compressed[(compressed.Length / 2) + 1] ^= 0xFF;
        using var source = SourceStream.Open(new MemoryStream(compressed), "rows.csv.gz", maxExpandedBytes: 1 << 20);

        var error = Assert.Throws<DataFormatException>(() => source.Data.CopyTo(Stream.Null));
        Assert.Contains("damaged", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Gzip(string text)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }
}
