using OrleansMl.Gateway.Security;

namespace OrleansMl.Client.Tests;

/// <summary>One API key per role; the platform's configuration gets only their hashes.</summary>
internal static class ClientKeys
{
    public const string Reader = "client-reader-key-0123456789";
    public const string Scientist = "client-scientist-key-0123456789";
    public const string Admin = "client-admin-key-0123456789";

    public static IEnumerable<KeyValuePair<string, string?>> Configuration()
    {
        var keys = new[] { ("reader", Reader, GatewayRole.Reader), ("scientist", Scientist, GatewayRole.Scientist), ("admin", Admin, GatewayRole.Admin) };
        for (var i = 0; i < keys.Length; i++)
        {
            var (name, key, role) = keys[i];
            yield return new($"OrleansMl:Gateway:Authentication:ApiKeys:{i}:Name", name);
            yield return new($"OrleansMl:Gateway:Authentication:ApiKeys:{i}:Sha256", ApiKeyHash.Of(key));
            yield return new($"OrleansMl:Gateway:Authentication:ApiKeys:{i}:Role", role.ToString());
        }
    }
}
