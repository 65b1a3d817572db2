namespace OrleansMl.Data.Statistics;

/// <summary>The items of a <see cref="KllSketch"/> in order with their running weights: the sketch's estimate of the distribution.</summary>
internal sealed class KllCdf
{
    private readonly double[] _values;
    private readonly long[] _cumulative;

    public KllCdf(double[] values, long[] weights)
    {
        Array.Sort(values, weights);
        long running = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            running += weights[i];
            weights[i] = running;
        }

        _values = values;
        _cumulative = weights;
    }

    public long Total => _cumulative.Length == 0 ? 0 : _cumulative[^1];

    /// <summary>The smallest item whose cumulative weight reaches <paramref name="probability"/> of the total; NaN when empty.</summary>
    public double Quantile(double probability)
    {
        if (_values.Length == 0)
        {
            return double.NaN;
        }

        var target = probability * Total;
        int low = 0, high = _values.Length - 1;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_cumulative[mid] >= target)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }

        return _values[low];
    }

    /// <summary>The estimated number of values strictly below <paramref name="value"/>.</summary>
    public long CountBelow(double value)
    {
        int low = 0, high = _values.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_values[mid] < value)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low == 0 ? 0 : _cumulative[low - 1];
    }
}
