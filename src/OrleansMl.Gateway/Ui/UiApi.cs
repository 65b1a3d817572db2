using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using OrleansMl.Client;

namespace OrleansMl.Gateway.Ui;

/// <summary>
/// How the UI reads and changes the platform: the platform's own HTTP API on loopback, as the signed-in
/// person (their API key), through the .NET client. There is no second path to the grains that could
/// disagree with the API, and every role check is the API's.
/// </summary>
public sealed class UiApi(IHttpContextAccessor accessor, IServer server) : IDisposable
{
    /// <summary>One connection pool for every page of every person (the key goes on each request, not on the client).</summary>
    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };

    private OrleansMlClient? _client;
    private OrleansMlClient? _transfer;

    /// <summary>The client for this request's person: a page's calls, each answered within 30 seconds.</summary>
    public async Task<OrleansMlClient> ClientAsync() => _client ??= await CreateAsync(TimeSpan.FromSeconds(30));

    /// <summary>The client for a transfer as long as the person's own request (an upload): no timeout of its own; the request's abort cancels it.</summary>
    public async Task<OrleansMlClient> TransferClientAsync() => _transfer ??= await CreateAsync(Timeout.InfiniteTimeSpan);

    public void Dispose()
    {
        _client?.Dispose();
        _transfer?.Dispose();
    }

    private async Task<OrleansMlClient> CreateAsync(TimeSpan timeout)
    {
        var context = accessor.HttpContext ?? throw new InvalidOperationException("The UI's API is used outside a request.");
        // The session's key; a page asked for with the key on the request (a script, curl) calls with that key.
        var key = await context.GetTokenAsync(UiAuthentication.Scheme, UiAuthentication.KeyToken)
            ?? (context.Request.Headers.TryGetValue(Security.ApiKeyAuthenticationHandler.HeaderName, out var header) ? header.ToString() : null);
        return new OrleansMlClient(Http, new OrleansMlClientOptions { BaseAddress = Self(), ApiKey = key, MaxRetries = 0, Timeout = timeout });
    }

    /// <summary>This process's own HTTP address, on loopback when it listens on every interface.</summary>
    private Uri Self()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The gateway listens on no address.");
        var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "127.0.0.1";
        }

        return new Uri(uri.Uri.GetLeftPart(UriPartial.Authority) + "/");
    }
}
