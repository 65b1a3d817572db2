namespace OrleansMl.Bench.Serving;

/// <summary>What one load-generator run saw.</summary>
/// <param name="RequestsPerSecond">All completed requests per second, failed ones included (the tools count them alike).</param>
/// <param name="P50Ms">Median latency, milliseconds.</param>
/// <param name="P99Ms">99th percentile latency, milliseconds.</param>
/// <param name="Requests">Requests completed, failed ones included.</param>
/// <param name="Errors">Requests that failed: a status outside 2xx/3xx, a socket error or a timeout.</param>
/// <param name="ErrorSummary">What the failures were, as the tool reported them; null when there were none.</param>
internal sealed record LoadResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Errors, string? ErrorSummary)
{
    /// <summary>This result, or an exception naming <paramref name="run"/> if any request failed or none completed: a rate that counts failures is no rate.</summary>
    public LoadResult EnsureSucceeded(string run) =>
        Errors == 0 && Requests > 0
            ? this
            : throw new InvalidOperationException($"{run}: {Errors} of {Requests} requests failed ({ErrorSummary ?? "no requests completed"}).");
}
