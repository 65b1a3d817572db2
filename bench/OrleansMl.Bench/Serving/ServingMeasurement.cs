using OrleansMl.Bench.Measurement;

namespace OrleansMl.Bench.Serving;

/// <summary>One endpoint's serving numbers, every repetition kept.</summary>
/// <param name="MaxRate">Single-row requests from wrk as fast as the endpoint answers, one per repetition.</param>
/// <param name="CpuMicrosPerRequest">CPU time the serving process used per request in each <paramref name="MaxRate"/> run, microseconds.</param>
/// <param name="HalfRate">The fixed rate of the latency runs: half the median of <paramref name="MaxRate"/>.</param>
/// <param name="AtHalfRate">Single-row requests from hey at <paramref name="HalfRate"/>, one per repetition.</param>
/// <param name="Batch">Requests of <paramref name="BatchRows"/> rows from wrk as fast as the endpoint answers, one per repetition.</param>
internal sealed record ServingMeasurement(
    string Endpoint, IReadOnlyList<LoadResult> MaxRate, double[] CpuMicrosPerRequest, double HalfRate, IReadOnlyList<LoadResult> AtHalfRate, IReadOnlyList<LoadResult> Batch, int BatchRows)
{
    public double[] RequestsPerSecond => [.. MaxRate.Select(r => r.RequestsPerSecond)];

    public double[] HalfRateP99Ms => [.. AtHalfRate.Select(r => r.P99Ms)];

    public double[] BatchRowsPerSecond => [.. Batch.Select(r => r.RequestsPerSecond * BatchRows)];

    /// <summary>p50 and p99 of every kind of run, medians over the repetitions, for a result's note.</summary>
    public string Summary =>
        $"{Endpoint}: at the maximum rate p50 {Ms(MaxRate, r => r.P50Ms)} p99 {Ms(MaxRate, r => r.P99Ms)}; "
        + $"at {NumberFormat.Compact(HalfRate)} req/s asked{Shortfall} p50 {Ms(AtHalfRate, r => r.P50Ms)} p99 {Ms(AtHalfRate, r => r.P99Ms)}; "
        + $"{BatchRows:N0}-row requests p50 {Ms(Batch, r => r.P50Ms)} p99 {Ms(Batch, r => r.P99Ms)}";

    /// <summary>The median rate hey achieved at <see cref="HalfRate"/>: it falls short when hey and the server together saturate the cores.</summary>
    public double HalfRateAchieved => Stats.Median([.. AtHalfRate.Select(r => r.RequestsPerSecond)]);

    private string Shortfall => HalfRateAchieved < 0.95 * HalfRate
        ? $" (hey reached only {NumberFormat.Compact(HalfRateAchieved)}, {HalfRateAchieved / HalfRate:P0})"
        : "";

    private static string Ms(IReadOnlyList<LoadResult> runs, Func<LoadResult, double> value) =>
        NumberFormat.WithUnit(Stats.Median([.. runs.Select(value)]), "ms");
}
