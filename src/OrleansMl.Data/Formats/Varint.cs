using System.Buffers;

namespace OrleansMl.Data.Formats;

/// <summary>Unsigned LEB128 varints (seven bits a byte, least significant first), as Thrift, Parquet's run headers and the sketches write them.</summary>
internal static class Varint
{
    /// <summary>The most bytes a 64-bit value takes.</summary>
    public const int MaxBytes = 10;

    /// <summary>Writes <paramref name="value"/> at the start of <paramref name="span"/>; the bytes written.</summary>
    public static int Write(Span<byte> span, ulong value)
    {
        var length = 0;
        while (value >= 0x80)
        {
            span[length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[length++] = (byte)value;
        return length;
    }

    public static void Write(IBufferWriter<byte> output, ulong value) => output.Advance(Write(output.GetSpan(MaxBytes), value));
}
