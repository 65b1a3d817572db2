using OrleansMl.Bench.Measurement;
using OrleansMl.Storage.FileSystem;

namespace OrleansMl.Bench.Storage;

/// <summary><see cref="FileSystemArtifactStore"/> in a temp directory against raw file calls in another.</summary>
internal static class FileSystemStoreScenario
{
    public static async Task<BenchResult[]> RunAsync(BenchSettings settings)
    {
        var root = Directory.CreateTempSubdirectory("orleansml-bench-files-").FullName;
        try
        {
            var store = new FileSystemArtifactStore(Path.Combine(root, "store"));
            var rawDirectory = Directory.CreateDirectory(Path.Combine(root, "raw")).FullName;
            return await StoreThroughput.MeasureAsync(
                "file store", new ArtifactStoreIo(store), "File.WriteAllBytes / FileStream", new RawFileIo(rawDirectory), settings,
                writeNote: "the store fsyncs a temp file and renames it; the reference only writes to the page cache");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
