using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OrleansMl.Gateway.Options;

namespace OrleansMl.Gateway.Security;

/// <summary>
/// Remembers which configured key a presented key matched, and the authentication ticket it earns, so
/// a caller's every request neither hashes its key and compares it with every configured hash (a tenth
/// of a single-row prediction's CPU, measured) nor builds its claims again. Only matches are kept, at
/// most <see cref="Capacity"/>; the cache empties when the gateway's options change, so a removed key
/// stops working at once. The tickets are shared between requests: nothing may change their principal
/// (the gateway registers no claims transformation).
/// </summary>
public sealed class ApiKeyCache : IDisposable
{
    public const int Capacity = 1024;
    private readonly ConcurrentDictionary<string, AuthenticationTicket> _matches = new(StringComparer.Ordinal);
    private readonly IDisposable? _subscription;

    public ApiKeyCache(IOptionsMonitor<GatewayOptions> options) => _subscription = options.OnChange(_ => _matches.Clear());

    /// <summary>The ticket of the configured key <paramref name="presented"/> is (made by <paramref name="ticketOf"/> on its first use), or null.</summary>
    public AuthenticationTicket? Find(string presented, IReadOnlyList<ApiKeyOptions> keys, Func<ApiKeyOptions, AuthenticationTicket> ticketOf)
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

                var ticket = ticketOf(key);
                _matches[presented] = ticket;
                return ticket;
            }
        }

        return null;
    }

    public void Dispose() => _subscription?.Dispose();
}
