namespace OrleansMl.Testing;

/// <summary>One Azurite per test collection: started before the first test, stopped after the last.</summary>
public sealed class AzuriteFixture : IAsyncDisposable
{
    private readonly Lazy<Task<AzuriteServer>> _server = new(() => AzuriteServer.StartAsync());

    public Task<AzuriteServer> GetServerAsync() => _server.Value;

    public async ValueTask DisposeAsync()
    {
        if (_server.IsValueCreated)
        {
            await (await _server.Value).DisposeAsync();
        }
    }
}
