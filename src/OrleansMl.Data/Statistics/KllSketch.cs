namespace OrleansMl.Data.Statistics;

/// <summary>
/// A KLL quantile sketch (Karnin, Lang and Liberty 2016) in the layout of Apache DataSketches:
/// level h holds items that each stand for 2^h values; level capacities shrink by 2/3 below the
/// top (never under 8); when the sketch is full the lowest full level is sorted and every other
/// item, from a random start, moves up a level. With k = 256 the normalised rank error is about 1%.
/// Randomness comes from a SplitMix64 stream with a fixed seed that travels with the sketch, so
/// the same inputs merged in the same order give the same sketch on any machine.
/// </summary>
internal sealed class KllSketch
{
    public const int DefaultK = 256;
    private const int MinWidth = 8;
    private const int MaxLevels = 62;
    private const ulong Seed = 0x4B4C4C5F5345454DUL;

    private readonly int _k;
    private double[][] _levels = [new double[MinWidth]];
    private int[] _sizes = [0];
    private int _levelCount = 1;
    private int _retained;
    private int _capacity;
    private long _count;
    private ulong _random = Seed;

    public KllSketch(int k = DefaultK)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, MinWidth);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, ushort.MaxValue);
        _k = k;
        _capacity = TotalCapacity();
    }

    /// <summary>The number of values the sketch stands for.</summary>
    public long Count => _count;

    public void Update(double value) => Insert(0, value);

    /// <summary>Adds one item that stands for 2^<paramref name="level"/> values.</summary>
    public void Insert(int level, double value)
    {
        EnsureLevels(level + 1);
        EnsureRoom(level, 1);
        _levels[level][_sizes[level]++] = value;
        _retained++;
        _count += 1L << level;
        if (_retained >= _capacity)
        {
            Compress();
        }
    }

    public void Merge(KllSketch other)
    {
        if (ReferenceEquals(other, this))
        {
            throw new ArgumentException("A sketch cannot be merged into itself.", nameof(other));
        }

        EnsureLevels(other._levelCount);
        for (var h = 0; h < other._levelCount; h++)
        {
            var items = other._levels[h].AsSpan(0, other._sizes[h]);
            EnsureRoom(h, items.Length);
            items.CopyTo(_levels[h].AsSpan(_sizes[h]));
            _sizes[h] += items.Length;
        }

        _retained += other._retained;
        _count += other._count;
        Compress();
    }

    /// <summary>The retained items sorted, with their cumulative weights.</summary>
    public KllCdf ToCdf()
    {
        var values = new double[_retained];
        var weights = new long[_retained];
        var at = 0;
        for (var h = 0; h < _levelCount; h++)
        {
            var items = _levels[h].AsSpan(0, _sizes[h]);
            items.CopyTo(values.AsSpan(at));
            weights.AsSpan(at, items.Length).Fill(1L << h);
            at += items.Length;
        }

        return new KllCdf(values, weights);
    }

    /// <summary>The next value of the sketch's random stream.</summary>
    public ulong NextRandom()
    {
        _random += 0x9E3779B97F4A7C15UL;
        return HyperLogLog.Mix(_random);
    }

    public void Write(SketchWriter writer)
    {
        writer.WriteCount(_k);
        writer.WriteCount(_count);
        writer.WriteUInt64(_random);
        writer.WriteCount(_levelCount);
        for (var h = 0; h < _levelCount; h++)
        {
            writer.WriteCount(_sizes[h]);
            writer.WriteDoubles(_levels[h].AsSpan(0, _sizes[h]));
        }
    }

    public static KllSketch Read(ref SketchReader reader)
    {
        var k = reader.ReadLength(ushort.MaxValue, 0);
        if (k < MinWidth)
        {
            throw reader.Malformed($"KLL parameter k = {k}");
        }

        var sketch = new KllSketch(k);
        var count = reader.ReadCount();
        sketch._random = reader.ReadUInt64();
        var levels = reader.ReadLength(MaxLevels, 1);
        sketch.EnsureLevels(levels);
        long weight = 0;
        for (var h = 0; h < levels; h++)
        {
            var size = reader.ReadLength(int.MaxValue, sizeof(double));
            sketch.EnsureRoom(h, size);
            reader.ReadDoubles(sketch._levels[h].AsSpan(0, size));
            sketch._sizes[h] = size;
            sketch._retained += size;
            weight += (long)size << h;
        }

        if (weight != count)
        {
            throw reader.Malformed($"KLL items weigh {weight} but the count is {count}");
        }

        sketch._count = count;
        return sketch;
    }

    private void Compress()
    {
        while (_retained >= _capacity)
        {
            var h = 0;
            while (_sizes[h] < Capacity(h))
            {
                h++;
            }

            CompactLevel(h);
        }
    }

    private void CompactLevel(int h)
    {
        if (h + 1 == _levelCount)
        {
            EnsureLevels(_levelCount + 1);
        }

        var items = _levels[h].AsSpan(0, _sizes[h]);
        items.Sort();
        var odd = items.Length & 1;
        var pairs = items.Length / 2;
        var offset = (int)(NextRandom() & 1);
        EnsureRoom(h + 1, pairs);
        var above = _levels[h + 1].AsSpan(_sizes[h + 1], pairs);
        for (var i = 0; i < pairs; i++)
        {
            above[i] = items[(2 * i) + offset];
        }

        _sizes[h + 1] += pairs;
        if (odd == 1)
        {
            items[0] = items[^1];
        }

        _sizes[h] = odd;
        _retained -= pairs;
    }

    private void EnsureLevels(int count)
    {
        if (count <= _levelCount)
        {
            return;
        }

        if (count > MaxLevels)
        {
            throw new InvalidOperationException($"A KLL sketch holds at most {MaxLevels} levels; {count} were needed.");
        }

        if (count > _levels.Length)
        {
            Array.Resize(ref _levels, count);
            Array.Resize(ref _sizes, count);
        }

        for (var h = _levelCount; h < count; h++)
        {
            _levels[h] ??= new double[MinWidth];
        }

        _levelCount = count;
        _capacity = TotalCapacity();
    }

    private void EnsureRoom(int level, int extra)
    {
        var needed = _sizes[level] + extra;
        if (needed > _levels[level].Length)
        {
            Array.Resize(ref _levels[level], Math.Max(needed, _levels[level].Length * 2));
        }
    }

    private int TotalCapacity()
    {
        var total = 0;
        for (var h = 0; h < _levelCount; h++)
        {
            total += Capacity(h);
        }

        return total;
    }

    /// <summary>max(8, ceil(k (2/3)^depth)) in integer arithmetic, so every machine agrees.</summary>
    private int Capacity(int level)
    {
        var depth = _levelCount - 1 - level;
        if (depth > 30)
        {
            return MinWidth;
        }

        var numerator = (long)_k << depth;
        var denominator = 1L;
        for (var i = 0; i < depth; i++)
        {
            denominator *= 3;
        }

        return (int)Math.Max(MinWidth, (numerator + denominator - 1) / denominator);
    }
}
