using System.Numerics;
using System.Runtime.CompilerServices;

namespace OrleansMl.Data.Statistics;

/// <summary>
/// Feeds many values into a <see cref="KllSketch"/> cheaply. When a partition holds far more
/// values than the sketch can tell apart, it keeps one value at random from each run of 2^h
/// consecutive values and inserts it at level h, standing for the whole run: the sampler that
/// the KLL paper puts below its compactors. The run length is chosen so that sampling adds at most
/// about 0.1% (one standard deviation) to the rank error; smaller inputs go in value by value.
/// A partial run at the end goes in value by value, so the sketch's weight stays exact.
/// </summary>
internal sealed class KllBulkLoader
{
    /// <summary>Values per sampled item below which sampling error stays under 0.1% of the count.</summary>
    private const long ValuesPerSample = 250_000;

    private readonly KllSketch _sketch;
    private readonly int _level;
    private readonly int _period;
    private readonly double[] _pending;
    private int _pendingCount;

    public KllBulkLoader(KllSketch sketch, long expectedCount)
    {
        _sketch = sketch;
        var ratio = expectedCount / ValuesPerSample;
        _level = ratio < 2 ? 0 : Math.Min(20, BitOperations.Log2((ulong)ratio));
        _period = 1 << _level;
        _pending = _level == 0 ? [] : new double[_period];
    }

    /// <summary>Adds values, none of them NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(ReadOnlySpan<double> values)
    {
        if (_period == 1)
        {
            foreach (var value in values)
            {
                _sketch.Insert(0, value);
            }

            return;
        }

        if (_pendingCount > 0)
        {
            var take = Math.Min(_period - _pendingCount, values.Length);
            values[..take].CopyTo(_pending.AsSpan(_pendingCount));
            _pendingCount += take;
            values = values[take..];
            if (_pendingCount < _period)
            {
                return;
            }

            InsertOneOf(_pending);
            _pendingCount = 0;
        }

        while (values.Length >= _period)
        {
            InsertOneOf(values[.._period]);
            values = values[_period..];
        }

        values.CopyTo(_pending);
        _pendingCount = values.Length;
    }

    /// <summary>Inserts the values of an unfinished run one by one.</summary>
    public void Complete()
    {
        for (var i = 0; i < _pendingCount; i++)
        {
            _sketch.Insert(0, _pending[i]);
        }

        _pendingCount = 0;
    }

    private void InsertOneOf(ReadOnlySpan<double> run) =>
        _sketch.Insert(_level, run[(int)(_sketch.NextRandom() & (uint)(_period - 1))]);
}
