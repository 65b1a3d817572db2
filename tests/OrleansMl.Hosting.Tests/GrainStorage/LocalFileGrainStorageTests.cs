using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansMl.Hosting.GrainStorage;

namespace OrleansMl.Hosting.Tests.GrainStorage;

public sealed class LocalFileGrainStorageTests : IDisposable
{
    private const string StateName = "profile";
    private readonly string _root = Directory.CreateTempSubdirectory("orleansml-grainstate-").FullName;
    private readonly GrainId _grain = GrainId.Create("test.profile", "alice");

    [Fact]
    public async Task MissingStateReadsAsDefaultWithoutETag()
    {
        var state = new GrainState<Profile>();

        await CreateStorage().ReadStateAsync(StateName, _grain, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Equal(0, state.State!.Visits);
    }

    [Fact]
    public async Task WrittenStateIsReadBackByANewStorageInstance()
    {
        var written = new GrainState<Profile>(new Profile { Name = "Alice", Visits = 3 }, null);
        await CreateStorage().WriteStateAsync(StateName, _grain, written);

        var read = new GrainState<Profile>();
        await CreateStorage().ReadStateAsync(StateName, _grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal("Alice", read.State!.Name);
        Assert.Equal(3, read.State!.Visits);
    }

    [Fact]
    public async Task StaleWriteFailsWithInconsistentStateException()
    {
        var storage = CreateStorage();
        var first = new GrainState<Profile>(new Profile { Visits = 1 }, null);
        await storage.WriteStateAsync(StateName, _grain, first);
        var stale = new GrainState<Profile>(new Profile { Visits = 99 }, first.ETag);
        first.State!.Visits = 2;
        await storage.WriteStateAsync(StateName, _grain, first);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, _grain, stale));

        Assert.Equal(first.ETag, error.StoredEtag);
        Assert.Equal(stale.ETag, error.CurrentEtag);
        var read = new GrainState<Profile>();
        await storage.ReadStateAsync(StateName, _grain, read);
        Assert.Equal(2, read.State!.Visits);
    }

    [Fact]
    public async Task WriteWithoutETagOverExistingStateFails()
    {
        var storage = CreateStorage();
        await storage.WriteStateAsync(StateName, _grain, new GrainState<Profile>(new Profile(), null));

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteStateAsync(StateName, _grain, new GrainState<Profile>(new Profile(), null)));
    }

    [Fact]
    public async Task ClearDeletesTheStateAndAStaleClearFails()
    {
        var storage = CreateStorage();
        var state = new GrainState<Profile>(new Profile { Visits = 5 }, null);
        await storage.WriteStateAsync(StateName, _grain, state);
        var staleETag = state.ETag;
        await storage.WriteStateAsync(StateName, _grain, state);

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.ClearStateAsync(StateName, _grain, new GrainState<Profile>(new Profile(), staleETag)));
        await storage.ClearStateAsync(StateName, _grain, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        var read = new GrainState<Profile>();
        await storage.ReadStateAsync(StateName, _grain, read);
        Assert.False(read.RecordExists);
    }

    [Theory]
    [InlineData("truncate")]
    [InlineData("flip")]
    [InlineData("garbage")]
    [InlineData("empty")]
    public async Task CorruptStateFileFailsNamingTheFileAndIsLeftInPlace(string damage)
    {
        var storage = CreateStorage();
        await storage.WriteStateAsync(StateName, _grain, new GrainState<Profile>(new Profile { Name = "Alice", Visits = 7 }, null));
        var file = Assert.Single(Directory.GetFiles(_root, "*.state", SearchOption.AllDirectories));
        var bytes = await File.ReadAllBytesAsync(file);
        byte[] damaged = damage switch
        {
            "truncate" => bytes[..^5],
            "flip" => [.. bytes[..^3], (byte)(bytes[^3] ^ 0x20), .. bytes[^2..]],
            "garbage" => "not a state file\n{}"u8.ToArray(),
            _ => [],
        };
        await File.WriteAllBytesAsync(file, damaged);

        var error = await Assert.ThrowsAsync<GrainStateCorruptException>(
            () => storage.ReadStateAsync(StateName, _grain, new GrainState<Profile>()));

        Assert.Equal(file, error.FilePath);
        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Equal(damaged, await File.ReadAllBytesAsync(file));
    }

    [Fact]
    public async Task KeysThatDifferOnlyInCaseOrPunctuationGetTheirOwnFiles()
    {
        var storage = CreateStorage();
        var keys = new[] { "alice", "Alice", "ALICE", "a/b", "a%2Fb", "../x", new string('k', 400) };

        foreach (var (key, i) in keys.Select((k, i) => (k, i)))
        {
            await storage.WriteStateAsync(StateName, GrainId.Create("test.profile", key), new GrainState<Profile>(new Profile { Visits = i }, null));
        }

        foreach (var (key, i) in keys.Select((k, i) => (k, i)))
        {
            var read = new GrainState<Profile>();
            await storage.ReadStateAsync(StateName, GrainId.Create("test.profile", key), read);
            Assert.Equal(i, read.State!.Visits);
        }

        var files = Directory.GetFiles(_root, "*.state", SearchOption.AllDirectories);
        Assert.Equal(keys.Length, files.Length);
        Assert.All(files, f => Assert.StartsWith(_root, Path.GetFullPath(f), StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private LocalFileGrainStorage CreateStorage() => new(
        "test",
        new LocalFileGrainStorageOptions { RootDirectory = _root },
        new SystemTextJsonGrainStorageSerializer(Microsoft.Extensions.Options.Options.Create(new SystemTextJsonGrainStorageSerializerOptions())),
        NullLogger<LocalFileGrainStorage>.Instance);

    public sealed class Profile
    {
        public string Name { get; set; } = "";

        public int Visits { get; set; }
    }
}
