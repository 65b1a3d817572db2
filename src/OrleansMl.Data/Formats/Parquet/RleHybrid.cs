using System.Buffers;
using System.Buffers.Binary;

namespace OrleansMl.Data.Formats.Parquet;

/// <summary>
/// Parquet's RLE/bit-packed hybrid encoding (definition levels, dictionary indices): runs of one repeated
/// value and groups of eight values packed at <c>bitWidth</c> bits each, least significant bit first.
/// </summary>
internal static class RleHybrid
{
    /// <summary>Fills <paramref name="output"/> from <paramref name="data"/>.</summary>
    /// <exception cref="InvalidDataException">The data ends before the output is full, or a run is malformed.</exception>
    public static void Decode(ReadOnlySpan<byte> data, int bitWidth, Span<int> output)
    {
        if (bitWidth is < 0 or > 32)
        {
            throw new InvalidDataException($"A bit width of {bitWidth} is not valid.");
        }

        var position = 0;
        var written = 0;
        var valueBytes = (bitWidth + 7) / 8;
        while (written < output.Length)
        {
            var header = ReadVarint(data, ref position);
            if ((header & 1) == 0)
            {
                // A run: the count, then the value in the fewest whole bytes.
                var count = header >> 1;
                if (valueBytes > data.Length - position)
                {
                    throw new InvalidDataException("A run of the RLE/bit-packed hybrid is cut short.");
                }

                var value = 0;
                for (var b = 0; b < valueBytes; b++)
                {
                    value |= data[position + b] << (8 * b);
                }

                position += valueBytes;
                var take = (int)Math.Min(count, (ulong)(output.Length - written));
                output.Slice(written, take).Fill(value);
                written += take;
            }
            else
            {
                // Groups of eight values, bitWidth bytes per group.
                var groups = Math.Min(header >> 1, (ulong)int.MaxValue);
                var bytes = groups * (ulong)bitWidth;
                var available = (ulong)(data.Length - position);
                var values = (int)Math.Min(groups * 8, (ulong)(output.Length - written));
                if (Math.Min(bytes, available) * 8 < (ulong)values * (ulong)bitWidth)
                {
                    throw new InvalidDataException("A bit-packed run of the RLE/bit-packed hybrid is cut short.");
                }

                Unpack(data[position..], bitWidth, output.Slice(written, values));
                written += values;
                position += (int)Math.Min(bytes, available);
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="values"/> (each under 2^<paramref name="bitWidth"/>): a repeat of at least
    /// <see cref="MinRun"/> values as a run, everything else bit-packed in groups of eight (the last group padded
    /// with zeros; a reader takes only as many values as the page holds).
    /// </summary>
    public static void Encode(ReadOnlySpan<int> values, int bitWidth, IBufferWriter<byte> output)
    {
        var packedFrom = 0; // values from here are waiting to be bit-packed
        var i = 0;
        while (i < values.Length)
        {
            var end = i + 1;
            while (end < values.Length && values[end] == values[i])
            {
                end++;
            }

            // A run starts where the values waiting to be packed make whole groups of eight.
            var start = i + ((8 - ((i - packedFrom) & 7)) & 7);
            if (end - start >= MinRun)
            {
                Pack(values[packedFrom..start], bitWidth, output);
                WriteRun(values[i], end - start, bitWidth, output);
                packedFrom = end;
            }

            i = end;
        }

        Pack(values[packedFrom..], bitWidth, output);
    }

    /// <summary>Repeats shorter than this are bit-packed: a run costs a header and a value, eight packed values bitWidth bytes.</summary>
    private const int MinRun = 16;

    /// <summary>Writes <paramref name="count"/> repeats of <paramref name="value"/> as one run.</summary>
    public static void WriteRun(int value, int count, int bitWidth, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(Varint.MaxBytes + 4);
        var length = Varint.Write(span, (ulong)count << 1);
        for (var b = 0; b < (bitWidth + 7) / 8; b++)
        {
            span[length++] = (byte)(value >> (8 * b));
        }

        output.Advance(length);
    }

    private static void Pack(ReadOnlySpan<int> values, int bitWidth, IBufferWriter<byte> output)
    {
        if (values.IsEmpty)
        {
            return;
        }

        var groups = (values.Length + 7) / 8;
        var bytes = groups * bitWidth;
        var span = output.GetSpan(bytes + Varint.MaxBytes);
        var position = Varint.Write(span, ((ulong)groups << 1) | 1);
        var packed = span.Slice(position, bytes);
        packed.Clear();
        ulong buffer = 0;
        var bits = 0;
        var next = 0;
        foreach (var value in values)
        {
            buffer |= (ulong)(uint)value << bits;
            bits += bitWidth;
            while (bits >= 8)
            {
                packed[next++] = (byte)buffer;
                buffer >>= 8;
                bits -= 8;
            }
        }

        if (bits > 0)
        {
            packed[next] = (byte)buffer;
        }

        output.Advance(position + bytes);
    }

    private static void Unpack(ReadOnlySpan<byte> data, int bitWidth, Span<int> output)
    {
        if (bitWidth == 0)
        {
            output.Clear();
            return;
        }

        var mask = bitWidth == 32 ? uint.MaxValue : (1u << bitWidth) - 1;
        var i = 0;
        // Eight bytes at a time while they are there: a value starts within the first byte and spans at most five.
        for (long bit = 0; i < output.Length && (bit >> 3) + 8 <= data.Length; i++, bit += bitWidth)
        {
            var word = BinaryPrimitives.ReadUInt64LittleEndian(data[(int)(bit >> 3)..]);
            output[i] = (int)((uint)(word >> (int)(bit & 7)) & mask);
        }

        for (var bit = (long)i * bitWidth; i < output.Length; i++, bit += bitWidth)
        {
            ulong word = 0;
            var first = (int)(bit >> 3);
            for (var b = 0; b < 8 && first + b < data.Length; b++)
            {
                word |= (ulong)data[first + b] << (8 * b);
            }

            output[i] = (int)((uint)(word >> (int)(bit & 7)) & mask);
        }
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length)
            {
                throw new InvalidDataException("The RLE/bit-packed hybrid is cut short.");
            }

            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new InvalidDataException("The RLE/bit-packed hybrid has a malformed run header.");
    }
}
