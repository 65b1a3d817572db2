using System.Net;
using OrleansMl.Gateway.Security;
using OrleansMl.Testing;

namespace OrleansMl.Ui.Tests;

/// <summary>The UI's session over a restart of the gateway, and the UI with authentication off.</summary>
public sealed class UiSessionTests : IDisposable
{
    private const string Key = "session-admin-key-0123456789";

    /// <summary>The platform's data directory, one per test.</summary>
    private readonly string _data = Directory.CreateTempSubdirectory("orleansml-ui-session-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task ASessionOutlivesARestartOfThePlatform()
    {
        var cookies = new CookieContainer();
        var keys = TestApiKey.Configuration(new TestApiKey("admin", Key, GatewayRole.Admin)).ToList();
        await using (var first = await EmbeddedPlatform.StartAsync(_data, keys))
        {
            using var http = Client(first.Address, cookies);
            var signedIn = await UiForms.SignInAsync(http, Key);
            Assert.Equal("/", signedIn.RequestMessage!.RequestUri!.AbsolutePath);
            Assert.True(Directory.EnumerateFiles(Path.Combine(_data, "artifacts", "ui-keys")).Any(), "the key ring is in the store");
        }

        await using var second = await EmbeddedPlatform.StartAsync(_data, keys);
        using var again = Client(second.Address, cookies);
        foreach (var cookie in cookies.GetAllCookies().Cast<Cookie>())
        {
            cookies.Add(second.Address, new Cookie(cookie.Name, cookie.Value)); // the new process listens on another port
        }

        var home = await again.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal("/", home.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("admin · admin", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAuthenticationOffThePagesOpenWithoutSigningIn()
    {
        await using var platform = await EmbeddedPlatform.StartAsync(_data, ("OrleansMl:Gateway:Authentication:Enabled", "false"));
        using var http = Client(platform.Address, new CookieContainer());
        var home = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal("/", home.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("active silos", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static HttpClient Client(Uri address, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, UseCookies = true }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
}
