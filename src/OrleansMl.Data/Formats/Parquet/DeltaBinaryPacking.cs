namespace OrleansMl.Data.Formats.Parquet;

/// <summary>
/// Parquet's DELTA_BINARY_PACKED encoding (integers in v2 pages, and the lengths of DELTA_LENGTH_BYTE_ARRAY
/// text): a first value, then blocks of deltas stored as a block minimum plus miniblocks bit-packed at their
/// own widths. Arithmetic wraps, as the format's writers' does.
/// </summary>
internal static class DeltaBinaryPacking
{
    /// <summary>Fills <paramref name="output"/> (exactly the encoded value count); answers the bytes read.</summary>
    /// <exception cref="InvalidDataException">The header or a block is malformed or cut short.</exception>
    public static int Decode(ReadOnlySpan<byte> data, Span<long> output)
    {
        var position = 0;
        var blockSize = ReadVarint(data, ref position);
        var miniblocks = ReadVarint(data, ref position);
        var total = ReadVarint(data, ref position);
        var previous = ZigZag(ReadVarint(data, ref position));
        if (blockSize == 0 || blockSize % 128 != 0 || blockSize > 1 << 20 || miniblocks == 0 || blockSize % miniblocks != 0
            || blockSize / miniblocks % 32 != 0)
        {
            throw new InvalidDataException("A DELTA_BINARY_PACKED header has invalid block sizes.");
        }

        if (total != (ulong)output.Length)
        {
            throw new InvalidDataException($"A DELTA_BINARY_PACKED run holds {total} values where {output.Length} are due.");
        }

        if (total == 0)
        {
            return position;
        }

        var perMiniblock = (int)(blockSize / miniblocks);
        output[0] = previous;
        var written = 1;
        while (written < output.Length)
        {
            var minimum = ZigZag(ReadVarint(data, ref position));
            if ((ulong)(data.Length - position) < miniblocks)
            {
                throw new InvalidDataException("A DELTA_BINARY_PACKED block is cut short.");
            }

            var widths = data.Slice(position, (int)miniblocks);
            position += (int)miniblocks;
            for (var m = 0; m < widths.Length && written < output.Length; m++)
            {
                var width = widths[m];
                var bytes = perMiniblock * width / 8;
                if (width > 64 || bytes > data.Length - position)
                {
                    throw new InvalidDataException("A DELTA_BINARY_PACKED miniblock is malformed or cut short.");
                }

                var packed = data.Slice(position, bytes);
                var take = Math.Min(perMiniblock, output.Length - written);
                for (var i = 0; i < take; i++)
                {
                    previous = unchecked(previous + minimum + (long)ReadBits(packed, (long)i * width, width));
                    output[written++] = previous;
                }

                position += bytes;
            }
        }

        return position;
    }

    private static ulong ReadBits(ReadOnlySpan<byte> data, long bit, int width)
    {
        ulong value = 0;
        for (var got = 0; got < width;)
        {
            var at = bit + got;
            var offset = (int)(at & 7);
            var take = Math.Min(8 - offset, width - got);
            value |= ((ulong)(data[(int)(at >> 3)] >> offset) & ((1UL << take) - 1)) << got;
            got += take;
        }

        return value;
    }

    private static long ZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length)
            {
                throw new InvalidDataException("A DELTA_BINARY_PACKED run is cut short.");
            }

            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new InvalidDataException("A DELTA_BINARY_PACKED run has a malformed number.");
    }
}
