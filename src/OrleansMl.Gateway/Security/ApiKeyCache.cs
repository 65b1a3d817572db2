using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OrleansMl.Gateway.Options;

namespace OrleansMl.Gateway.Security;

/// <summary>
/// Remembers which configured key a presented key matched, so a caller's every request does not hash
/// its key and compare it with every configured hash (a tenth of a single-row prediction's CPU,
/// measured). Only matches are kept, at most <see cref="Capacity"/>; the cache empties when the
/// gateway's options change, so a removed key stops working at once.
/// </summary>
public sealed class ApiKeyCache : IDisposable
{
    public const int Capacity = 1024;
    private readonly ConcurrentDictionary<string, ApiKeyOptions> _matches = new(StringComparer.Ordinal);
    private readonly IDisposable? _subscription;

    public ApiKeyCache(IOptionsMonitor<GatewayOptions> options) => _subscription = options.OnChange(_ => _matches.Clear());

    /// <summary>The configured key <paramref name="presented"/> is, or null.</summary>
    public ApiKeyOptions? Find(string presented, IReadOnlyList<ApiKeyOptions> keys)
    {
        if (_matches.TryGetValue(presented, out var known))
        {
            return known;
        }

        var hash = ApiKeyHash.Of(presented);
        foreach (var key in keys)
        {
            if (ApiKeyHash.Matches(hash, key.Sha256))
            {
                if (_matches.Count >= Capacity)
                {
                    _matches.Clear();
                }

                _matches[presented] = key;
                return key;
            }
        }

        return null;
    }

    public void Dispose() => _subscription?.Dispose();
}
