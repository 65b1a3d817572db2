using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace OrleansMl.Data.Statistics;

/// <summary>Quantiles and histograms of a number column, read from its quantile sketch and exact moments.</summary>
internal static class Distribution
{
    public static IReadOnlyList<QuantileValue> Quantiles(KllCdf cdf, in Moments moments, IReadOnlyList<double> probabilities)
    {
        if (moments.Count == 0)
        {
            return [];
        }

        var result = new QuantileValue[probabilities.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var p = probabilities[i];
            var value = p <= 0 ? moments.Min
                : p >= 1 ? moments.Max
                : Math.Clamp(cdf.Quantile(p), moments.Min, moments.Max);
            result[i] = new QuantileValue(p, value);
        }

        return result;
    }

    /// <summary>
    /// Equal-width bins between the exact min and max; each count is the difference of the
    /// sketch's estimated counts below the bin's edges, so the histogram is as mergeable as the sketch.
    /// </summary>
    public static Histogram? Histogram(KllCdf cdf, in Moments moments, int bins)
    {
        if (moments.Count == 0 || bins == 0 || !double.IsFinite(moments.Min) || !double.IsFinite(moments.Max))
        {
            return null;
        }

        if (moments.Min == moments.Max)
        {
            return new Histogram([moments.Min, moments.Max], [cdf.Total]);
        }

        var edges = new double[bins + 1];
        var counts = new long[bins];
        var width = (moments.Max / bins) - (moments.Min / bins);
        edges[0] = moments.Min;
        long below = 0;
        for (var i = 1; i <= bins; i++)
        {
            edges[i] = i == bins ? moments.Max : moments.Min + (width * i);
            var next = i == bins ? cdf.Total : cdf.CountBelow(edges[i]);
            counts[i - 1] = next - below;
            below = next;
        }

        return new Histogram(ImmutableCollectionsMarshal.AsImmutableArray(edges), ImmutableCollectionsMarshal.AsImmutableArray(counts));
    }
}
