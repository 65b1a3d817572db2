using System.IO.Hashing;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OrleansMl.Data.Statistics;

/// <summary>
/// A HyperLogLog distinct-count sketch with 2^14 registers (standard error about 0.8%), read with
/// Ertl's improved estimator, which needs no bias tables and holds from 0 to billions. Numbers are
/// hashed from their 64-bit pattern through the SplitMix64 finalizer, text with XxHash3 over its
/// UTF-16 code units. Merging takes the register-wise maximum.
/// </summary>
internal sealed class HyperLogLog
{
    private const int Precision = 14;
    private const int RegisterCount = 1 << Precision;
    private const int MaxRank = 64 - Precision + 1;
    private const int PackedBytes = RegisterCount * 6 / 8;
    private const byte SparseForm = 0;
    private const byte PackedForm = 1;

    private readonly byte[] _registers = new byte[RegisterCount];

    public void AddInt64(long value) => AddHash(Mix(unchecked((ulong)value)));

    /// <summary>Adds a number; 0.0 and -0.0 count as one value.</summary>
    public void AddDouble(double value) => AddHash(Mix(BitConverter.DoubleToUInt64Bits(value == 0 ? 0 : value)));

    /// <summary>Adds numbers (none NaN); a run of equal values is hashed once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddDoubles(ReadOnlySpan<double> values)
    {
        var previous = double.NaN;
        foreach (var value in values)
        {
            if (value != previous)
            {
                AddDouble(value);
                previous = value;
            }
        }
    }

    public void AddString(string value) => AddHash(XxHash3.HashToUInt64(MemoryMarshal.AsBytes(value.AsSpan())));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddHash(ulong hash)
    {
        var index = (int)(hash >> (64 - Precision));
        var rank = (byte)Math.Min(BitOperations.LeadingZeroCount(hash << Precision) + 1, MaxRank);
        ref var register = ref _registers[index];
        if (rank > register)
        {
            register = rank;
        }
    }

    public void Merge(HyperLogLog other) => TensorPrimitives.Max(_registers, other._registers, _registers);

    /// <summary>Ertl (2017), "New cardinality estimation algorithms for HyperLogLog sketches", algorithm 6.</summary>
    public long Estimate()
    {
        Span<int> histogram = stackalloc int[MaxRank + 1];
        foreach (var register in _registers)
        {
            histogram[register]++;
        }

        const double m = RegisterCount;
        var z = m * Tau(1 - (histogram[MaxRank] / m));
        for (var k = MaxRank - 1; k >= 1; k--)
        {
            z = 0.5 * (z + histogram[k]);
        }

        z += m * Sigma(histogram[0] / m);
        var estimate = m * m / (2 * Math.Log(2) * z);
        return (long)Math.Round(estimate);
    }

    /// <summary>Writes the registers sparsely (index, rank) while few are set, else packed six bits each.</summary>
    public void Write(SketchWriter writer)
    {
        var set = RegisterCount - _registers.AsSpan().Count((byte)0);
        if (set * 3 < PackedBytes)
        {
            writer.WriteByte(SparseForm);
            writer.WriteCount(set);
            var previous = 0;
            for (var i = 0; i < RegisterCount; i++)
            {
                if (_registers[i] != 0)
                {
                    writer.WriteVarUInt((ulong)(i - previous));
                    writer.WriteByte(_registers[i]);
                    previous = i;
                }
            }

            return;
        }

        writer.WriteByte(PackedForm);
        Span<byte> packed = stackalloc byte[PackedBytes];
        for (int i = 0, o = 0; i < RegisterCount; i += 4, o += 3)
        {
            var word = _registers[i] | (_registers[i + 1] << 6) | (_registers[i + 2] << 12) | (_registers[i + 3] << 18);
            packed[o] = (byte)word;
            packed[o + 1] = (byte)(word >> 8);
            packed[o + 2] = (byte)(word >> 16);
        }

        writer.WriteBytes(packed);
    }

    public static HyperLogLog Read(ref SketchReader reader)
    {
        var sketch = new HyperLogLog();
        var registers = sketch._registers;
        switch (reader.ReadByte())
        {
            case SparseForm:
                var set = reader.ReadLength(RegisterCount, 2);
                var index = 0;
                for (var i = 0; i < set; i++)
                {
                    index += (int)Math.Min(reader.ReadVarUInt(), RegisterCount);
                    var rank = reader.ReadByte();
                    if (index >= RegisterCount || rank > MaxRank)
                    {
                        throw reader.Malformed($"HyperLogLog register {index} = {rank}");
                    }

                    registers[index] = rank;
                }

                break;
            case PackedForm:
                var packed = reader.ReadBytes(PackedBytes);
                for (int i = 0, o = 0; i < RegisterCount; i += 4, o += 3)
                {
                    var word = packed[o] | (packed[o + 1] << 8) | (packed[o + 2] << 16);
                    for (var j = 0; j < 4; j++)
                    {
                        var rank = (byte)((word >> (6 * j)) & 0x3F);
                        registers[i + j] = rank <= MaxRank ? rank : throw reader.Malformed($"HyperLogLog register {i + j} = {rank}");
                    }
                }

                break;
            case var form:
                throw reader.Malformed($"HyperLogLog form {form}");
        }

        return sketch;
    }

    /// <summary>The SplitMix64 finalizer: a bijection with full avalanche.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    private static double Sigma(double x)
    {
        if (x == 1)
        {
            return double.PositiveInfinity;
        }

        double y = 1, z = x;
        while (true)
        {
            x *= x;
            var next = z + (x * y);
            y += y;
            if (next == z)
            {
                return z;
            }

            z = next;
        }
    }

    private static double Tau(double x)
    {
        if (x == 0 || x == 1)
        {
            return 0;
        }

        double y = 1, z = 1 - x;
        while (true)
        {
            x = Math.Sqrt(x);
            var previous = z;
            y *= 0.5;
            z -= (1 - x) * (1 - x) * y;
            if (z == previous)
            {
                return z / 3;
            }
        }
    }
}
