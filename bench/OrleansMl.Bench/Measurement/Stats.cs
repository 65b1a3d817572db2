namespace OrleansMl.Bench.Measurement;

/// <summary>Order statistics over measured samples.</summary>
internal static class Stats
{
    public static double Median(double[] samples)
    {
        var sorted = (double[])samples.Clone();
        Array.Sort(sorted);
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>The nearest-rank percentile (0 &lt; <paramref name="percent"/> &lt;= 100) of samples already sorted ascending.</summary>
    public static long PercentileOfSorted(long[] sorted, double percent)
    {
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
