using OrleansMl.Gateway.Security;
using OrleansMl.Testing;

namespace OrleansMl.Gateway.Tests;

/// <summary>One API key per role, and a reader key limited to one endpoint; configuration gets only their hashes.</summary>
internal static class TestKeys
{
    public const string Reader = "reader-key-0123456789";
    public const string Scientist = "scientist-key-0123456789";
    public const string Admin = "admin-key-0123456789";

    /// <summary>A reader key limited to the endpoint <see cref="AppEndpoint"/>.</summary>
    public const string App = "app-key-0123456789";
    public const string AppEndpoint = "app-endpoint";

    public static IEnumerable<KeyValuePair<string, string?>> Configuration() => TestApiKey.Configuration(
        new("reader", Reader, GatewayRole.Reader),
        new("scientist", Scientist, GatewayRole.Scientist),
        new("admin", Admin, GatewayRole.Admin),
        new("app", App, GatewayRole.Reader, AppEndpoint));
}
