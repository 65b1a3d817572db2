using OrleansMl.Testing;

namespace OrleansMl.Client.Tests;

[Collection(PlatformCollection.Name)]
public sealed class ClusterClientTests(PlatformFixture platform)
{
    [Fact]
    public async Task TheClusterIsReadyAndListsItsSilo()
    {
        Assert.True(await platform.Reader.IsReadyAsync());
        Assert.NotEmpty((await platform.Reader.GetClusterAsync()).Silos);

        using var nowhere = new OrleansMlClient(new OrleansMlClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{FreePorts.Take(1)[0]}") });
        Assert.False(await nowhere.IsReadyAsync());
    }
}
