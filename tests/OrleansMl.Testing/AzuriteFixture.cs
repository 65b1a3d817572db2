namespace OrleansMl.Testing;

/// <summary>
/// One Azurite per test collection: started before the first test, stopped after the last. Also
/// <see cref="IDisposable"/>: xUnit v2 disposes collection fixtures through it, and an Azurite was found
/// still running after the suite when only <see cref="IAsyncDisposable"/> was there.
/// </summary>
public sealed class AzuriteFixture : IAsyncDisposable, IDisposable
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

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
