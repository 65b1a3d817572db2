using OrleansMl.Testing;

namespace OrleansMl.Client.Tests;

/// <summary>One real embedded platform (silo + gateway + local storage in a temporary folder) shared by the collection, and a client per role.</summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("orleansml-client-").FullName;
    private readonly List<OrleansMlClient> _clients = [];
    private EmbeddedPlatform _platform = null!;

    public Uri Address => _platform.Address;

    public OrleansMlClient Reader { get; private set; } = null!;

    public OrleansMlClient Scientist { get; private set; } = null!;

    public OrleansMlClient Admin { get; private set; } = null!;

    /// <summary>A client of the platform with <paramref name="apiKey"/>; disposed with the fixture.</summary>
    public OrleansMlClient CreateClient(string? apiKey)
    {
        var client = new OrleansMlClient(new OrleansMlClientOptions { BaseAddress = Address, ApiKey = apiKey, Timeout = TimeSpan.FromMinutes(2) });
        _clients.Add(client);
        return client;
    }

    public async Task InitializeAsync()
    {
        _platform = await EmbeddedPlatform.StartAsync(_dataDirectory, ClientKeys.Configuration());
        Reader = CreateClient(ClientKeys.Reader);
        Scientist = CreateClient(ClientKeys.Scientist);
        Admin = CreateClient(ClientKeys.Admin);
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await _platform.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
