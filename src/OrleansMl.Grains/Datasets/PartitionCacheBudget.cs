using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace OrleansMl.Datasets;

/// <summary>
/// A silo's memory budget for the columns its partition grains cache (<see cref="DatasetImportOptions.PartitionCacheBytes"/>).
/// Every partition grain tells it what it holds and when it is used; past the budget partitions are asked to let their
/// columns go (<see cref="IPartitionGrain.DropCacheAsync"/>) and read them again from the store when next used — so a
/// dataset larger than the silos' memory still describes, trains and queries, at the cost of rereading.
/// </summary>
/// <remarks>
/// Which go: the least recently used, unless the partition that needs the room has been used no more often lately than
/// every one it would push out; then it lets go itself once its use is done, and they stay (TinyLFU's admission: uses are
/// counted per partition and halved every 10 × the cached partitions' uses, so old habits fade). LRU alone is the worst
/// policy for what training does — pass after pass over a dataset larger than the budget, each pushing out exactly the
/// partition needed next, so nothing is ever found; with the admission a fixed part of the dataset stays and every pass
/// finds it, and one pass over a large dataset does not flush what is used often. The partition in use is never let go
/// during its use, so one partition larger than the budget still works.
/// </remarks>
public sealed class PartitionCacheBudget
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _uses = new(StringComparer.Ordinal);
    private long _usesSinceHalving;
    private long _total;
    private long _clock;
    private long _evictions;

    public PartitionCacheBudget(IOptions<DatasetImportOptions> options, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        Budget = options.Value.PartitionCacheBytes > 0 ? options.Value.PartitionCacheBytes : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;
        var meter = meters.Create(Telemetry.PlatformMetrics.MeterName);
        meter.CreateObservableGauge("orleansml.partitions.cached.bytes", () => CachedBytes, "By", "Bytes of dataset columns held in this silo's memory by partition grains.");
        meter.CreateObservableGauge("orleansml.partitions.cached", () => CachedPartitions, "{partition}", "Partition grains on this silo holding columns in memory.");
        meter.CreateObservableGauge("orleansml.partitions.cache.budget", () => Budget, "By", "The most bytes of columns this silo's partitions keep before the least recently used let theirs go.");
        meter.CreateObservableCounter("orleansml.partitions.cache.evictions", () => Evictions, "{partition}", "Times this silo asked a partition to let its columns go to stay within the budget (each is read again when next used).");
    }

    /// <summary>The most bytes of cached columns before the least recently used partitions let theirs go.</summary>
    public long Budget { get; }

    /// <summary>Bytes of columns the partition grains of this silo hold now.</summary>
    public long CachedBytes
    {
        get
        {
            lock (_lock)
            {
                return _total;
            }
        }
    }

    /// <summary>How many times partitions were asked to let their columns go, since the silo started.</summary>
    public long Evictions
    {
        get
        {
            lock (_lock)
            {
                return _evictions;
            }
        }
    }

    /// <summary>Partition grains of this silo holding columns now.</summary>
    public int CachedPartitions
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// Partition <paramref name="key"/> was just used and holds <paramref name="bytes"/> (0: nothing, or it is going away).
    /// Answers the keys of the partitions that must let their columns go to bring the silo back under the budget: others, least
    /// recently used first, or <paramref name="key"/> itself (once its use is done) when it is not used more often than they are.
    /// </summary>
    public IReadOnlyList<string> Use(string key, long bytes)
    {
        lock (_lock)
        {
            if (bytes > 0)
            {
                Count(key);
            }

            if (!_entries.TryGetValue(key, out var entry))
            {
                if (bytes == 0)
                {
                    return [];
                }

                entry = new Entry(key);
                _entries[key] = entry;
            }

            _total += bytes - entry.Bytes;
            entry.Bytes = bytes;
            entry.LastUse = ++_clock;
            entry.Evicting = false;
            if (bytes == 0)
            {
                _entries.Remove(key);
            }

            if (_total <= Budget)
            {
                return [];
            }

            // Bytes already asked for count as gone: asking more while they are let go would empty the cache.
            var candidates = new List<Entry>(_entries.Count);
            var pending = 0L;
            foreach (var other in _entries.Values)
            {
                if (other.Evicting)
                {
                    pending += other.Bytes;
                }
                else if (other != entry)
                {
                    candidates.Add(other);
                }
            }

            var over = _total - pending - Budget;
            if (over <= 0)
            {
                return [];
            }

            candidates.Sort(static (a, b) => a.LastUse.CompareTo(b.LastUse));
            var victims = new List<Entry>();
            var mostUsed = 0;
            foreach (var victim in candidates)
            {
                if (over <= 0)
                {
                    break;
                }

                over -= victim.Bytes;
                victims.Add(victim);
                mostUsed = Math.Max(mostUsed, _uses.GetValueOrDefault(victim.Key));
            }

            if (victims.Count > 0 && entry.Bytes > 0 && entry.Bytes >= _total - pending - Budget && _uses.GetValueOrDefault(key) <= mostUsed)
            {
                victims = [entry];
            }

            foreach (var victim in victims)
            {
                victim.Evicting = true;
                _evictions++;
            }

            return [.. victims.Select(v => v.Key)];
        }
    }

    /// <summary>Counts a use of <paramref name="key"/>; every 10 × the cached partitions' uses (at least 160), halves every count.</summary>
    private void Count(string key)
    {
        _uses[key] = _uses.GetValueOrDefault(key) + 1;
        if (++_usesSinceHalving < 10 * Math.Max(16, _entries.Count))
        {
            return;
        }

        _usesSinceHalving = 0;
        foreach (var (name, uses) in _uses)
        {
            if (uses / 2 == 0)
            {
                _uses.Remove(name);
            }
            else
            {
                _uses[name] = uses / 2;
            }
        }
    }

    private sealed class Entry(string key)
    {
        public string Key { get; } = key;

        public long Bytes { get; set; }

        public long LastUse { get; set; }

        /// <summary>Asked to let go already: not asked again until it reports.</summary>
        public bool Evicting { get; set; }
    }
}
