using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using OrleansMl.Silo.Hosting;

namespace OrleansMl.Testing;

/// <summary>
/// The real embedded process (silo + gateway + local storage) on free loopback ports. It configures no
/// API keys: pass them (or any other setting) in <c>configuration</c> or <c>settings</c>.
/// </summary>
public sealed class EmbeddedPlatform : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmbeddedPlatform(WebApplication app, Uri address, int gatewayPort)
    {
        _app = app;
        Address = address;
        GatewayPort = gatewayPort;
    }

    /// <summary>The gateway's address, e.g. <c>http://127.0.0.1:5xxxx/</c>.</summary>
    public Uri Address { get; }

    /// <summary>The port Orleans clients connect to (<c>OrleansMl:GatewayPort</c>).</summary>
    public int GatewayPort { get; }

    /// <summary>The running platform's services (endpoints, options), for tests that inspect it.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the platform on <paramref name="dataDirectory"/> with <paramref name="settings"/> on top of the defaults.</summary>
    public static Task<EmbeddedPlatform> StartAsync(string dataDirectory, params (string Key, string Value)[] settings) =>
        StartAsync(dataDirectory, [], settings);

    /// <summary>
    /// Starts the platform on <paramref name="dataDirectory"/> with <paramref name="configuration"/> (e.g. API keys)
    /// and then <paramref name="settings"/> on top of the defaults.
    /// </summary>
    public static async Task<EmbeddedPlatform> StartAsync(
        string dataDirectory, IEnumerable<KeyValuePair<string, string?>> configuration, params (string Key, string Value)[] settings)
    {
        // The ports were free a moment ago; another process's loopback connection can take one first, so a start
        // that finds its port taken is tried again on new ones.
        for (var attempt = 1; ; attempt++)
        {
            var ports = FreePorts.Take(3);
            var address = new Uri($"http://127.0.0.1:{ports[0]}");
            var app = OrleansMlHost.Build([], builder =>
            {
                builder.WebHost.UseUrls(address.ToString());
                builder.Configuration.AddInMemoryCollection(
                [
                    new("OrleansMl:DataDirectory", dataDirectory),
                    new("OrleansMl:SiloPort", ports[1].ToString(CultureInfo.InvariantCulture)),
                    new("OrleansMl:GatewayPort", ports[2].ToString(CultureInfo.InvariantCulture)),
                    .. configuration,
                ]);

                // A source of its own, so a setting may replace a key of the configuration above.
                builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
            });
            try
            {
                await app.StartAsync();
                return new EmbeddedPlatform(app, address, ports[2]);
            }
            catch (Exception e) when (attempt < 5 && IsAddressInUse(e))
            {
                await StopQuietlyAsync(app);
            }
        }
    }

    private static bool IsAddressInUse(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is Microsoft.AspNetCore.Connections.AddressInUseException or System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse })
            {
                return true;
            }
        }

        return false;
    }

    private static async Task StopQuietlyAsync(WebApplication app)
    {
        try
        {
            await app.StopAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // What started of it is stopped as far as it goes; the next attempt uses other ports.
        }

        await app.DisposeAsync();
    }

    /// <summary>An HttpClient for the gateway that sends <paramref name="apiKey"/> as <c>X-Api-Key</c>, when given.</summary>
    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
