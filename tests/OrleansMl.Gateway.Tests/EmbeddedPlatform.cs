using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using OrleansMl.Silo.Hosting;
using OrleansMl.Testing;

namespace OrleansMl.Gateway.Tests;

/// <summary>The real embedded process (silo + gateway + local storage) on free loopback ports.</summary>
internal sealed class EmbeddedPlatform : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmbeddedPlatform(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<EmbeddedPlatform> StartAsync(string dataDirectory, params (string Key, string Value)[] settings)
    {
        var ports = FreePorts.Take(3);
        var address = new Uri($"http://127.0.0.1:{ports[0]}");
        var app = OrleansMlHost.Build([], builder =>
        {
            builder.WebHost.UseUrls(address.ToString());
            builder.Configuration.AddInMemoryCollection(
            [
                new("OrleansMl:DataDirectory", dataDirectory),
                new("OrleansMl:SiloPort", ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("OrleansMl:GatewayPort", ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture)),
                .. TestKeys.Configuration(),
                .. settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)),
            ]);
        });
        await app.StartAsync();
        return new EmbeddedPlatform(app, address);
    }

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
