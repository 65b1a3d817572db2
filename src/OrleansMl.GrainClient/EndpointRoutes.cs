using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansMl.Serving;

namespace OrleansMl.GrainClient;

/// <summary>
/// What each endpoint serves, as this gateway last read it from the endpoint grain. A request never
/// waits for a re-read: after <see cref="EndpointRoutingOptions.CacheSeconds"/> the next request starts
/// one in the background and is routed by the routes it already has. Both the old and the new routes
/// serve, so a swap drops nothing; an update made through this gateway takes effect at once.
/// </summary>
public sealed partial class EndpointRoutes(IGrainFactory grains, IOptionsMonitor<EndpointRoutingOptions> options, ILogger<EndpointRoutes> logger)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The endpoint's routes.</summary>
    /// <exception cref="KeyNotFoundException">There is no such endpoint.</exception>
    public async ValueTask<EndpointInfo> GetAsync(string name)
    {
        if (_entries.TryGetValue(name, out var entry))
        {
            if (Stopwatch.GetElapsedTime(entry.ReadAt).TotalSeconds >= options.CurrentValue.CacheSeconds && entry.TryStartRefresh())
            {
                _ = RefreshAsync(name, entry);
            }

            return entry.Info;
        }

        var info = await grains.GetGrain<IEndpointGrain>(ResourceNames.Validate(name, "endpoint")).GetAsync()
            ?? throw new KeyNotFoundException($"There is no endpoint '{name}'.");
        Set(info);
        return info;
    }

    /// <summary>Takes <paramref name="info"/> as the endpoint's routes now (after an update through this gateway).</summary>
    public void Set(EndpointInfo info) => _entries[info.Name] = new Entry(info);

    public void Remove(string name) => _entries.TryRemove(name, out _);

    private async Task RefreshAsync(string name, Entry entry)
    {
        try
        {
            var info = await grains.GetGrain<IEndpointGrain>(name).GetAsync();
            if (info is null)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(name, entry));
            }
            else
            {
                _entries.TryUpdate(name, new Entry(info), entry);
            }
        }
        catch (Exception e)
        {
            // Keep serving the routes we have; the next request tries again.
            entry.RefreshFailed();
            LogRefreshFailed(logger, e, name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not re-read endpoint {Endpoint}; serving its last known routes")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, string endpoint);

    private sealed class Entry(EndpointInfo info)
    {
        private int _refreshing;

        public EndpointInfo Info { get; } = info;

        public long ReadAt { get; } = Stopwatch.GetTimestamp();

        public bool TryStartRefresh() => Interlocked.Exchange(ref _refreshing, 1) == 0;

        public void RefreshFailed() => Volatile.Write(ref _refreshing, 0);
    }
}
