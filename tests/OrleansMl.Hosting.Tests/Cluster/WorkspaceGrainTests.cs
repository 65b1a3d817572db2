using OrleansMl.Workspaces;

namespace OrleansMl.Hosting.Tests.Cluster;

[Collection(LocalClusterCollection.Name)]
public sealed class WorkspaceGrainTests(LocalClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Cluster.Client;

    [Fact]
    public async Task ANewWorkspaceStartsAtRevisionOne()
    {
        var grain = Grains.GetGrain<IWorkspaceGrain>(NewName());

        Assert.Null(await grain.GetAsync());
        var created = await grain.UpsertAsync(new WorkspaceUpdate("vision team", new Dictionary<string, string> { ["owner"] = "ana" }));

        Assert.Equal(1, created.Revision);
        Assert.Equal("vision team", created.Description);
        Assert.Equal("ana", created.Tags["owner"]);
    }

    [Fact]
    public async Task StateSurvivesDeactivationAndIsReadFromDisk()
    {
        var name = NewName();
        await Grains.GetGrain<IWorkspaceGrain>(name).UpsertAsync(new WorkspaceUpdate("before", null));
        await Grains.GetGrain<IWorkspaceGrain>(name).UpsertAsync(new WorkspaceUpdate("after", null));

        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var reloaded = await Grains.GetGrain<IWorkspaceGrain>(name).GetAsync();

        Assert.NotNull(reloaded);
        Assert.Equal("after", reloaded.Description);
        Assert.Equal(2, reloaded.Revision);
        Assert.Contains(Directory.EnumerateFiles(fixture.DataDirectory, "*.state", SearchOption.AllDirectories), f => f.Contains(name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConcurrentUpdatesAreAllCounted()
    {
        var grain = Grains.GetGrain<IWorkspaceGrain>(NewName());

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => grain.UpsertAsync(new WorkspaceUpdate($"update {i}", null))));

        Assert.Equal(20, (await grain.GetAsync())!.Revision);
    }

    [Fact]
    public async Task DeleteForgetsTheWorkspace()
    {
        var grain = Grains.GetGrain<IWorkspaceGrain>(NewName());
        await grain.UpsertAsync(new WorkspaceUpdate("x", null));

        Assert.True(await grain.DeleteAsync());
        Assert.False(await grain.DeleteAsync());
        Assert.Null(await grain.GetAsync());
    }

    [Fact]
    public async Task TooManyTagsAreRejectedNamingTheField()
    {
        var tags = Enumerable.Range(0, WorkspaceUpdate.MaxTags + 1).ToDictionary(i => $"k{i}", i => "v");

        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => Grains.GetGrain<IWorkspaceGrain>(NewName()).UpsertAsync(new WorkspaceUpdate(null, tags)));

        Assert.StartsWith("tags has 65 entries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThreeSilosFormTheCluster()
    {
        var hosts = await Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);

        Assert.Equal(3, hosts.Count);
    }

    private static string NewName() => "ws-" + Guid.NewGuid().ToString("N")[..12];
}
