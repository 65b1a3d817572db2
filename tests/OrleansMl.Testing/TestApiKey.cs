using OrleansMl.Gateway.Security;

namespace OrleansMl.Testing;

/// <summary>An API key a test platform accepts: its holder, the key, its role and the endpoints it is limited to (none: all).</summary>
public sealed record TestApiKey(string Name, string Key, GatewayRole Role, params string[] Endpoints)
{
    /// <summary>The same as command-line arguments of a platform process (<c>--key=value</c>).</summary>
    public static IEnumerable<string> Arguments(params TestApiKey[] keys) => Configuration(keys).Select(setting => $"--{setting.Key}={setting.Value}");

    /// <summary>The configuration that gives a platform exactly <paramref name="keys"/> (only their hashes).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Configuration(params TestApiKey[] keys)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            var prefix = $"OrleansMl:Gateway:Authentication:ApiKeys:{i}";
            yield return new($"{prefix}:Name", keys[i].Name);
            yield return new($"{prefix}:Sha256", ApiKeyHash.Of(keys[i].Key));
            yield return new($"{prefix}:Role", keys[i].Role.ToString());
            for (var e = 0; e < keys[i].Endpoints.Length; e++)
            {
                yield return new($"{prefix}:Endpoints:{e}", keys[i].Endpoints[e]);
            }
        }
    }
}
