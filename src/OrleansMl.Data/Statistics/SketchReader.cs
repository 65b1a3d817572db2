using System.Buffers.Binary;
using System.Text;

namespace OrleansMl.Data.Statistics;

/// <summary>Reads what <see cref="SketchWriter"/> wrote; a short or malformed input throws <see cref="InvalidDataException"/> naming the offset.</summary>
internal ref struct SketchReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly int Remaining => _data.Length - _position;

    public byte ReadByte() => Take(1)[0];

    public ulong ReadVarUInt()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw Malformed("a varint longer than 10 bytes");
    }

    public long ReadCount()
    {
        var value = ReadVarUInt();
        return value <= long.MaxValue ? (long)value : throw Malformed($"a count of {value}");
    }

    /// <summary>A count that sizes an array: at most <paramref name="max"/>, and each element needs at least <paramref name="minBytesEach"/> of the remaining bytes.</summary>
    public int ReadLength(int max, int minBytesEach)
    {
        var value = ReadVarUInt();
        if (value > (ulong)max || (value * (ulong)minBytesEach) > (ulong)Remaining)
        {
            throw Malformed($"a length of {value}");
        }

        return (int)value;
    }

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public void ReadDoubles(Span<double> destination)
    {
        var bytes = Take(destination.Length * sizeof(double));
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(i * sizeof(double))..]);
        }
    }

    public ReadOnlySpan<byte> ReadBytes(int count) => Take(count);

    public string ReadString()
    {
        var length = ReadLength(int.MaxValue, 1);
        return Encoding.UTF8.GetString(Take(length));
    }

    public readonly InvalidDataException Malformed(string what) =>
        new($"The dataset sketch is malformed: {what} at byte {_position} of {_data.Length}.");

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new InvalidDataException($"The dataset sketch is truncated: {count} more bytes needed at byte {_position} of {_data.Length}.");
        }

        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }
}
