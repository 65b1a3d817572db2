using System.Collections.Concurrent;

namespace OrleansMl.Gateway.Serving;

/// <summary>
/// The last five minutes of prediction traffic this gateway answered, per endpoint and model version, in
/// ten-second buckets: requests, rows, errors and a latency histogram (log-spaced bins, so a percentile is
/// known to within a quarter of its value). Memory is fixed per series and the series are capped, so no
/// stream of requests to made-up endpoint names can grow it. Each gateway knows its own traffic; the
/// cluster-wide view is the OpenTelemetry metrics of <see cref="ServingMetrics"/>.
/// </summary>
public sealed class EndpointTraffic(TimeProvider time)
{
    public const int BucketSeconds = 10;
    public const int Buckets = 30;

    /// <summary>The most endpoint × version series tracked; traffic past it is counted only in the metrics.</summary>
    public const int MaxSeries = 2_000;

    private const int Bins = 64;
    private const double FirstBinMs = 0.1;
    private const double Growth = 1.25;

    private readonly ConcurrentDictionary<SeriesKey, Series> _series = new();

    /// <summary>One answered (or failed) request: <paramref name="model"/> is null when it failed before a version was chosen.</summary>
    public void Record(string endpoint, string? model, int? version, int rows, double milliseconds, bool failed)
    {
        var key = new SeriesKey(endpoint, model, version);
        if (!_series.TryGetValue(key, out var series))
        {
            if (_series.Count >= MaxSeries)
            {
                return;
            }

            series = _series.GetOrAdd(key, _ => new Series());
        }

        series.Add(Epoch(), rows, Bin(milliseconds), failed);
    }

    /// <summary>The endpoint's traffic over the last <see cref="Buckets"/> buckets, oldest first, per version.</summary>
    public EndpointTrafficView Read(string endpoint)
    {
        var now = Epoch();
        var versions = new List<VersionTraffic>();
        foreach (var (key, series) in _series)
        {
            if (key.Endpoint == endpoint && series.Snapshot(now) is { } traffic)
            {
                versions.Add(traffic with { Model = key.Model, Version = key.Version });
            }
        }

        versions.Sort((a, b) => (a.Model, a.Version ?? -1).CompareTo((b.Model, b.Version ?? -1)));
        return new EndpointTrafficView(endpoint, BucketSeconds, DateTimeOffset.FromUnixTimeSeconds((now - Buckets + 1) * BucketSeconds), versions);
    }

    private long Epoch() => time.GetUtcNow().ToUnixTimeSeconds() / BucketSeconds;

    private static int Bin(double milliseconds) =>
        milliseconds <= FirstBinMs ? 0 : Math.Min(Bins - 1, (int)Math.Ceiling(Math.Log(milliseconds / FirstBinMs, Growth)));

    /// <summary>The upper edge of a latency bin, in milliseconds.</summary>
    private static double Edge(int bin) => FirstBinMs * Math.Pow(Growth, bin);

    private readonly record struct SeriesKey(string Endpoint, string? Model, int? Version);

    private sealed class Series
    {
        private readonly long[] _epochs = new long[Buckets];
        private readonly long[] _requests = new long[Buckets];
        private readonly long[] _errors = new long[Buckets];
        private readonly long[] _rows = new long[Buckets];
        private readonly int[] _latency = new int[Buckets * Bins];
        private readonly Lock _lock = new();

        public void Add(long epoch, int rows, int bin, bool failed)
        {
            var slot = (int)(epoch % Buckets);
            lock (_lock)
            {
                if (_epochs[slot] != epoch)
                {
                    (_epochs[slot], _requests[slot], _errors[slot], _rows[slot]) = (epoch, 0, 0, 0);
                    Array.Clear(_latency, slot * Bins, Bins);
                }

                _requests[slot]++;
                _errors[slot] += failed ? 1 : 0;
                _rows[slot] += rows;
                _latency[(slot * Bins) + bin]++;
            }
        }

        /// <summary>The buckets still in the window, oldest first; null when nothing came in it.</summary>
        public VersionTraffic? Snapshot(long now)
        {
            var requests = new long[Buckets];
            var errors = new long[Buckets];
            var p95 = new double?[Buckets];
            var total = new int[Bins];
            long rows = 0;
            lock (_lock)
            {
                for (var i = 0; i < Buckets; i++)
                {
                    var epoch = now - Buckets + 1 + i;
                    var slot = (int)(epoch % Buckets);
                    if (_epochs[slot] != epoch)
                    {
                        continue;
                    }

                    (requests[i], errors[i]) = (_requests[slot], _errors[slot]);
                    rows += _rows[slot];
                    var bins = _latency.AsSpan(slot * Bins, Bins);
                    p95[i] = Percentile(bins, _requests[slot], 0.95);
                    for (var b = 0; b < Bins; b++)
                    {
                        total[b] += bins[b];
                    }
                }
            }

            var count = requests.Sum();
            return count == 0 ? null : new VersionTraffic(null, null, requests, errors, rows,
                Percentile(total, count, 0.5), Percentile(total, count, 0.95), Percentile(total, count, 0.99), p95);
        }

        private static double? Percentile(ReadOnlySpan<int> bins, long count, double quantile)
        {
            if (count == 0)
            {
                return null;
            }

            var rank = (long)Math.Ceiling(quantile * count);
            long seen = 0;
            for (var b = 0; b < bins.Length; b++)
            {
                seen += bins[b];
                if (seen >= rank)
                {
                    return Edge(b);
                }
            }

            return Edge(bins.Length - 1);
        }
    }
}

/// <summary>An endpoint's recent traffic on this gateway (<c>GET /v1/endpoints/{name}/traffic</c>).</summary>
/// <param name="From">The start of the first bucket.</param>
public sealed record EndpointTrafficView(string Endpoint, int BucketSeconds, DateTimeOffset From, IReadOnlyList<VersionTraffic> Versions);

/// <summary>One version's traffic, per bucket oldest first; <paramref name="Model"/> null for requests that failed before a version was chosen.</summary>
/// <param name="P50Ms">Median latency over the window, in milliseconds (the upper edge of its histogram bin).</param>
public sealed record VersionTraffic(
    string? Model, int? Version, long[] Requests, long[] Errors, long Rows, double? P50Ms, double? P95Ms, double? P99Ms, double?[] P95MsByBucket);
