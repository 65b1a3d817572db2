using OrleansMl.Gateway.Security;

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

        yield return new($"OrleansMl:Gateway:Authentication:ApiKeys:{keys.Length}:Name", "app");
        yield return new($"OrleansMl:Gateway:Authentication:ApiKeys:{keys.Length}:Sha256", ApiKeyHash.Of(App));
        yield return new($"OrleansMl:Gateway:Authentication:ApiKeys:{keys.Length}:Endpoints:0", AppEndpoint);
    }
}
