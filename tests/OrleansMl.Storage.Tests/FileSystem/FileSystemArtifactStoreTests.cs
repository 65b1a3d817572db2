using OrleansMl.Storage.Artifacts;
using OrleansMl.Storage.FileSystem;
using static OrleansMl.Storage.Tests.Artifacts.StoreHelpers;

namespace OrleansMl.Storage.Tests.FileSystem;

public sealed class FileSystemArtifactStoreTests : Artifacts.ArtifactStoreContractTests, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("orleansml-artifacts-").FullName;

    protected override Task<IArtifactStore> CreateStoreAsync() => Task.FromResult<IArtifactStore>(new FileSystemArtifactStore(_root));

    [Fact]
    public async Task AFailedWriteLeavesNoFileAndNoTempBehind()
    {
        var store = new FileSystemArtifactStore(_root);
        await store.WriteAsync("keep.txt", new MemoryStream("old"u8.ToArray()));

        await Assert.ThrowsAsync<IOException>(() => store.WriteAsync("keep.txt", new FailingStream()));

        Assert.Equal("old"u8.ToArray(), await ReadAllAsync(store, "keep.txt"));
        Assert.Empty(Directory.EnumerateFiles(store.TempDirectory));
    }

    [Fact]
    public async Task AFolderIsNotAnArtifactAndAnArtifactCannotBeAFolder()
    {
        var store = new FileSystemArtifactStore(_root);
        await store.WriteAsync("a/b.txt", new MemoryStream([1]));

        var read = await Assert.ThrowsAsync<ArtifactNotFoundException>(() => store.OpenReadAsync("a"));
        var overFolder = await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync("a", new MemoryStream([2])));
        var underFile = await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync("a/b.txt/c", new MemoryStream([3])));

        Assert.Equal("a", read.Path);
        Assert.Contains("'a' is a folder of other artifacts", overFolder.Message, StringComparison.Ordinal);
        Assert.Contains("'a/b.txt' is an artifact here", underFile.Message, StringComparison.Ordinal);
        Assert.Equal([1], await ReadAllAsync(store, "a/b.txt"));
        Assert.Empty(Directory.EnumerateFiles(store.TempDirectory));
    }

    [Fact]
    public async Task ConcurrentWritersToOnePathNeverShareAnETag()
    {
        var store = new FileSystemArtifactStore(_root);

        var infos = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => store.WriteAsync("hot.txt", new MemoryStream([(byte)i]))));

        Assert.Equal(32, infos.Select(i => i.ETag).Distinct().Count());
    }

    [Fact]
    public async Task APathNamedLikeTheTempDirectoryIsAnOrdinaryArtifact()
    {
        var store = new FileSystemArtifactStore(_root);
        await store.WriteAsync(".tmp/x", new MemoryStream([1]));

        Assert.Equal(".tmp/x", Assert.Single(await ListAsync(store, "")).Path);
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_root + ".tmp", recursive: true);
    }

    private sealed class FailingStream : MemoryStream
    {
        public FailingStream()
            : base(new byte[100])
        {
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position > 10 ? throw new IOException("The upload broke off.") : ReadSome(buffer);

        private ValueTask<int> ReadSome(Memory<byte> buffer)
        {
            Position += 20;
            buffer.Span[..20].Clear();
            return ValueTask.FromResult(20);
        }
    }
}
