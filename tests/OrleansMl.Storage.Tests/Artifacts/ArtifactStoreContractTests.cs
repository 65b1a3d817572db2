using OrleansMl.Storage.Artifacts;
using OrleansMl.Testing;
using static OrleansMl.Storage.Tests.Artifacts.StoreHelpers;

namespace OrleansMl.Storage.Tests.Artifacts;

/// <summary>What every <see cref="IArtifactStore"/> must do; each provider runs these against the real thing.</summary>
public abstract class ArtifactStoreContractTests
{
    /// <summary>Bytes per block or range the store under test uses, so content can span several.</summary>
    protected const int BlockSize = 64 * 1024;

    /// <summary>A store with nothing in it.</summary>
    protected abstract Task<IArtifactStore> CreateStoreAsync();

    [Fact]
    public async Task WriteThenReadReturnsTheSameBytesAcrossSeveralBlocks()
    {
        var store = await CreateStoreAsync();
        var content = RandomBytes((3 * BlockSize) + 17, seed: 1);

        var info = await store.WriteAsync("models/m/v1/model.zip", new NonSeekableStream(new MemoryStream(content)));

        Assert.Equal("models/m/v1/model.zip", info.Path);
        Assert.Equal(content.Length, info.Length);
        Assert.False(string.IsNullOrEmpty(info.ETag));
        Assert.Equal(content, await ReadAllAsync(store, "models/m/v1/model.zip"));
    }

    [Fact]
    public async Task EmptyContentIsStoredAsAnEmptyArtifact()
    {
        var store = await CreateStoreAsync();

        var info = await store.WriteAsync("empty.bin", new MemoryStream());

        Assert.Equal(0, info.Length);
        Assert.Empty(await ReadAllAsync(store, "empty.bin"));
    }

    [Fact]
    public async Task OverwriteReplacesContentAndChangesTheETag()
    {
        var store = await CreateStoreAsync();
        var first = await store.WriteAsync("a.txt", new MemoryStream("one"u8.ToArray()));

        var second = await store.WriteAsync("a.txt", new MemoryStream("two"u8.ToArray()));

        Assert.NotEqual(first.ETag, second.ETag);
        Assert.Equal("two"u8.ToArray(), await ReadAllAsync(store, "a.txt"));
        Assert.Equal(second.ETag, (await store.GetInfoAsync("a.txt"))!.ETag);
    }

    [Fact]
    public async Task IfNotExistsWritesOnceAndThenFails()
    {
        var store = await CreateStoreAsync();
        await store.WriteAsync("once.txt", new MemoryStream("first"u8.ToArray()), ArtifactWriteCondition.NotExists);

        var error = await Assert.ThrowsAsync<ArtifactConditionFailedException>(
            () => store.WriteAsync("once.txt", new MemoryStream("second"u8.ToArray()), ArtifactWriteCondition.NotExists));

        Assert.Equal("once.txt", error.Path);
        Assert.Equal("first"u8.ToArray(), await ReadAllAsync(store, "once.txt"));
    }

    [Fact]
    public async Task IfMatchWritesOnlyOverTheVersionItNames()
    {
        var store = await CreateStoreAsync();
        var v1 = await store.WriteAsync("c.txt", new MemoryStream("1"u8.ToArray()));
        var v2 = await store.WriteAsync("c.txt", new MemoryStream("2"u8.ToArray()), ArtifactWriteCondition.IfMatch(v1.ETag));

        await Assert.ThrowsAsync<ArtifactConditionFailedException>(
            () => store.WriteAsync("c.txt", new MemoryStream("stale"u8.ToArray()), ArtifactWriteCondition.IfMatch(v1.ETag)));

        Assert.Equal("2"u8.ToArray(), await ReadAllAsync(store, "c.txt"));
        Assert.Equal(v2.ETag, (await store.GetInfoAsync("c.txt"))!.ETag);
    }

    [Fact]
    public async Task IfMatchFailsWhenTheArtifactIsMissing()
    {
        var store = await CreateStoreAsync();
        var gone = await store.WriteAsync("gone.txt", new MemoryStream("x"u8.ToArray()));
        await store.DeleteAsync("gone.txt");

        await Assert.ThrowsAsync<ArtifactConditionFailedException>(
            () => store.WriteAsync("gone.txt", new MemoryStream("y"u8.ToArray()), ArtifactWriteCondition.IfMatch(gone.ETag)));
        Assert.Null(await store.GetInfoAsync("gone.txt"));
    }

    [Fact]
    public async Task MissingArtifactIsNotFoundOnReadAndNullOnInfo()
    {
        var store = await CreateStoreAsync();

        var error = await Assert.ThrowsAsync<ArtifactNotFoundException>(() => store.OpenReadAsync("no/such/file"));

        Assert.Equal("no/such/file", error.Path);
        Assert.Null(await store.GetInfoAsync("no/such/file"));
    }

    [Fact]
    public async Task ListReturnsOnlyThePrefixInOrdinalOrder()
    {
        var store = await CreateStoreAsync();
        foreach (var path in new[] { "datasets/b/v1/part-1", "datasets/a/v2/part-0", "datasets/a/v1/part-0", "datasets/ab/v1/part-0", "models/a" })
        {
            await store.WriteAsync(path, new MemoryStream([1, 2, 3]));
        }

        var underA = await ListAsync(store, "datasets/a/");
        var startingWithA = await ListAsync(store, "datasets/a");
        var all = await ListAsync(store, "");

        Assert.Equal(["datasets/a/v1/part-0", "datasets/a/v2/part-0"], underA.Select(i => i.Path));
        Assert.Equal(["datasets/a/v1/part-0", "datasets/a/v2/part-0", "datasets/ab/v1/part-0"], startingWithA.Select(i => i.Path));
        Assert.Equal(5, all.Count);
        Assert.All(all, i => Assert.Equal(3, i.Length));
        Assert.Empty(await ListAsync(store, "nothing/"));
    }

    [Fact]
    public async Task DeleteRemovesAndSaysWhetherThereWasAnything()
    {
        var store = await CreateStoreAsync();
        await store.WriteAsync("d.txt", new MemoryStream("x"u8.ToArray()));

        Assert.True(await store.DeleteAsync("d.txt"));
        Assert.False(await store.DeleteAsync("d.txt"));
        Assert.Null(await store.GetInfoAsync("d.txt"));
    }

    [Fact]
    public async Task AReaderNeverSeesAMixOfTwoVersions()
    {
        var store = await CreateStoreAsync();
        var before = RandomBytes(4 * BlockSize, seed: 2);
        var after = RandomBytes(4 * BlockSize, seed: 3);
        await store.WriteAsync("mix.bin", new MemoryStream(before));
        await using var reader = await store.OpenReadAsync("mix.bin");
        var firstBlock = new byte[BlockSize];
        await reader.ReadExactlyAsync(firstBlock);

        await store.WriteAsync("mix.bin", new MemoryStream(after));

        try
        {
            var rest = new MemoryStream();
            await reader.CopyToAsync(rest);
            Assert.Equal(before, firstBlock.Concat(rest.ToArray()).ToArray());
        }
        catch (IOException e)
        {
            Assert.Contains("mix.bin", e.Message, StringComparison.Ordinal);
        }

        Assert.Equal(after, await ReadAllAsync(store, "mix.bin"));
    }

    [Fact]
    public async Task InvalidPathsAreRejectedBeforeAnythingIsWritten()
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync("../escape", new MemoryStream([1])));
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReadAsync("/abs"));
        Assert.Empty(await ListAsync(store, ""));
    }
}
