using System.Buffers.Binary;

namespace OrleansMl.Data.Formats.Parquet;

/// <summary>A column chunk's statistics: the null count, and the least and greatest value of numbers, timestamps and short text.</summary>
internal sealed partial class ParquetColumnChunk
{
    /// <summary>Text statistics longer than this are left out rather than truncated.</summary>
    private const int MaxStatisticBytes = 64;

    /// <summary>A chunk's null count and least and greatest value as Parquet stores them (null when not kept).</summary>
    public readonly record struct Statistics(long Nulls, byte[]? Min, byte[]? Max);

    private static Statistics LongStatistics(ReadOnlySpan<long> present, long nulls) =>
        present.IsEmpty ? new Statistics(nulls, null, null)
            : new Statistics(nulls, Bytes(System.Numerics.Tensors.TensorPrimitives.Min(present)), Bytes(System.Numerics.Tensors.TensorPrimitives.Max(present)));

    /// <summary>Least and greatest of the values that are not NaN; a zero bound is written -0.0 as least and +0.0 as greatest, as the format asks.</summary>
    private static Statistics DoubleStatistics(ReadOnlySpan<double> present, long nulls)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        var any = false;
        foreach (var value in present)
        {
            if (!double.IsNaN(value))
            {
                (min, max, any) = (Math.Min(min, value), Math.Max(max, value), true);
            }
        }

        return !any ? new Statistics(nulls, null, null)
            : new Statistics(nulls, Bytes(BitConverter.DoubleToInt64Bits(min == 0 ? -0.0 : min)), Bytes(BitConverter.DoubleToInt64Bits(max == 0 ? 0.0 : max)));
    }

    /// <summary>Least and greatest in UTF-8 byte order (code point order), left out when either is longer than <see cref="MaxStatisticBytes"/> bytes.</summary>
    private static Statistics TextStatistics(IEnumerable<string> values, long nulls)
    {
        string? min = null, max = null;
        foreach (var value in values)
        {
            min = min is null || CompareCodePoints(value, min) < 0 ? value : min;
            max = max is null || CompareCodePoints(value, max) > 0 ? value : max;
        }

        var (low, high) = (min is null ? null : System.Text.Encoding.UTF8.GetBytes(min), max is null ? null : System.Text.Encoding.UTF8.GetBytes(max));
        return low is null || high is null || low.Length > MaxStatisticBytes || high.Length > MaxStatisticBytes
            ? new Statistics(nulls, null, null) : new Statistics(nulls, low, high);
    }

    /// <summary>
    /// Orders strings as their UTF-8 bytes order: UTF-16 order, except that surrogate pairs (code points past
    /// U+FFFF) come after U+E000-U+FFFF, and a lone surrogate is U+FFFD, as the encoder writes it.
    /// </summary>
    private static int CompareCodePoints(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            if (a[i] != b[i] && Fixup(a, i) - Fixup(b, i) is var difference and not 0)
            {
                return difference;
            }
        }

        return a.Length - b.Length;

        static int Fixup(string s, int i)
        {
            var c = s[i];
            if (c < 0xD800)
            {
                return c;
            }

            if (c >= 0xE000)
            {
                return c - 0x800;
            }

            var paired = char.IsHighSurrogate(c) ? i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) : i > 0 && char.IsHighSurrogate(s[i - 1]);
            return paired ? c + 0x2000 : 0xFFFD - 0x800;
        }
    }

    private static byte[] Bytes(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes;
    }
}
