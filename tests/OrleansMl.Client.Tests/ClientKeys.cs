using OrleansMl.Gateway.Security;
using OrleansMl.Testing;

namespace OrleansMl.Client.Tests;

/// <summary>One API key per role; the platform's configuration gets only their hashes.</summary>
internal static class ClientKeys
{
    public const string Reader = "client-reader-key-0123456789";
    public const string Scientist = "client-scientist-key-0123456789";
    public const string Admin = "client-admin-key-0123456789";

    public static IEnumerable<KeyValuePair<string, string?>> Configuration() => TestApiKey.Configuration(
        new("reader", Reader, GatewayRole.Reader),
        new("scientist", Scientist, GatewayRole.Scientist),
        new("admin", Admin, GatewayRole.Admin));
}
