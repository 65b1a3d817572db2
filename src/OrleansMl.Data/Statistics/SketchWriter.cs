using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using OrleansMl.Data.Formats;

namespace OrleansMl.Data.Statistics;

/// <summary>Writes the little-endian binary form of sketches: unsigned LEB128 varints, IEEE doubles, UTF-8 strings.</summary>
internal sealed class SketchWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    public void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void WriteVarUInt(ulong value) => Varint.Write(_buffer, value);

    public void WriteCount(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        WriteVarUInt((ulong)value);
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteDouble(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteDoubles(ReadOnlySpan<double> values)
    {
        var span = _buffer.GetSpan(values.Length * sizeof(double));
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(span[(i * sizeof(double))..], values[i]);
        }

        _buffer.Advance(values.Length * sizeof(double));
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteCount(length);
        var written = Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(written);
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
