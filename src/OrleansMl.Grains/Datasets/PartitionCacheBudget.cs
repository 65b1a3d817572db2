using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace OrleansMl.Datasets;

/// <summary>
/// A silo's memory budget for the columns its partition grains cache (<see cref="DatasetImportOptions.PartitionCacheBytes"/>).
/// Every partition grain tells it what it holds and when it is used; past the budget the least recently used partitions
/// are asked to let their columns go (<see cref="IPartitionGrain.DropCacheAsync"/>) and read them again from the store
/// when next used — so a dataset larger than the silos' memory still describes, trains and queries, at the cost of
/// rereading. The partition in use is never the one let go, so one partition larger than the budget still works.
/// </summary>
public sealed class PartitionCacheBudget
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
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
    /// Answers the keys of the partitions that must let their columns go to bring the silo back under the budget, least recently used first.
    /// </summary>
    public IReadOnlyList<string> Use(string key, long bytes)
    {
        lock (_lock)
        {
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
            var victims = new List<string>();
            foreach (var victim in candidates)
            {
                if (over <= 0)
                {
                    break;
                }

                victim.Evicting = true;
                _evictions++;
                over -= victim.Bytes;
                victims.Add(victim.Key);
            }

            return victims;
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
