namespace OrleansMl.Client;

/// <summary>An endpoint's last five minutes of requests on the gateway that answered the call, per version in buckets (oldest first).</summary>
/// <param name="From">The start of the first bucket.</param>
public sealed record EndpointTraffic(string Endpoint, int BucketSeconds, DateTimeOffset From, IReadOnlyList<VersionTraffic> Versions);

/// <summary>One version's traffic; <paramref name="Model"/> is null for requests that failed before a version was chosen.</summary>
/// <param name="P50Ms">Median latency in milliseconds over the window (to within a quarter: the edge of a log-spaced bin).</param>
public sealed record VersionTraffic(
    string? Model, int? Version, IReadOnlyList<long> Requests, IReadOnlyList<long> Errors, long Rows, double? P50Ms, double? P95Ms, double? P99Ms, IReadOnlyList<double?> P95MsByBucket);
