using System.Formats.Tar;
using System.IO.Compression;
using OrleansMl.Data.Formats;
using OrleansMl.Data.Formats.Images;
using OrleansMl.Testing;

namespace OrleansMl.Data.Tests.Formats.Images;

public sealed class ImageArchiveTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("orleansml-archive-");

    public void Dispose() => _root.Delete(recursive: true);

    private static MemoryStream Zip(params (string Name, byte[] Content)[] entries)
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = zip.CreateEntry(name).Open();
                entry.Write(content);
            }
        }

        stream.Position = 0;
        return stream;
    }

    private Task<string> ExtractAsync(Stream archive, string name, long maxBytes = 1 << 20, int maxFiles = 100) =>
        ImageArchive.ExtractAsync(archive, name, _root.FullName, maxBytes, maxFiles, CancellationToken.None);

    [Fact]
    public async Task AZipOfClassFoldersUnderOneTopFolderReadsAsTheFolders()
    {
        var folder = await ExtractAsync(Zip(
            ("icons/cat/1.png", PngWriter.Uniform(2, 2, 10)), ("icons/dog/2.png", PngWriter.Uniform(3, 3, 200)), ("__MACOSX/icons/cat/._1.png", [1, 2, 3])), "icons.zip");

        using var reader = new ImageFolderDatasetReader(folder, new ImageFolderReaderOptions { Width = 2, Height = 2 });
        Assert.Equal(["cat", "dog"], reader.Classes);
        Assert.Equal(2, reader.ReadBatch(10)!.RowCount);
    }

    [Theory]
    [InlineData("../evil.png")]
    [InlineData("cat/../../evil.png")]
    [InlineData("/etc/evil.png")]
    public async Task AnEntryThatLeavesTheFolderRefusesTheArchive(string entry)
    {
        var error = await Assert.ThrowsAsync<DataFormatException>(() => ExtractAsync(Zip(("cat/1.png", PngWriter.Uniform(1, 1, 0)), (entry, [1])), "evil.zip"));
        Assert.Contains("points outside the archive's folder", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root.Parent!.FullName, "evil.png")));
    }

    [Fact]
    public async Task ABombStopsAtTheByteLimit()
    {
        var error = await Assert.ThrowsAsync<DataFormatException>(() => ExtractAsync(Zip(("cat/zeros.png", new byte[4 << 20])), "bomb.zip", maxBytes: 1 << 20));
        Assert.Contains("unpacks to more than 1048576 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGzippedTarKeepsFilesAndSkipsLinks()
    {
        var stream = new MemoryStream();
        await using (var gzip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true))
        await using (var tar = new TarWriter(gzip))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "cat/1.png") { DataStream = new MemoryStream(PngWriter.Uniform(1, 1, 5)) });
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "cat/link.png") { LinkName = "/etc/passwd" });
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "dog/2.png") { DataStream = new MemoryStream(PngWriter.Uniform(1, 1, 9)) });
        }

        stream.Position = 0;
        var folder = await ExtractAsync(stream, "icons.tar.gz");

        Assert.True(File.Exists(Path.Combine(folder, "cat", "1.png")));
        Assert.False(File.Exists(Path.Combine(folder, "cat", "link.png")));
        Assert.True(File.Exists(Path.Combine(folder, "dog", "2.png")));
    }

    [Fact]
    public async Task ADamagedArchiveSaysSo()
    {
        var error = await Assert.ThrowsAsync<DataFormatException>(() => ExtractAsync(new MemoryStream([1, 2, 3, 4, 5]), "broken.zip"));
        Assert.Contains("damaged or not a zip file", error.Message, StringComparison.Ordinal);
    }
}
