using System.Buffers;

namespace OrleansMl.Data.Formats.Parquet;

/// <summary>
/// Writes the Thrift compact protocol that Parquet's page headers and footer are made of: struct fields by
/// id (a delta from the previous field's id when it fits in four bits), zigzag varints, length-prefixed
/// binary, lists. Only the field types those structures use.
/// </summary>
internal sealed class ThriftCompactWriter(IBufferWriter<byte> output)
{
    private readonly Stack<short> _outer = new();
    private short _lastId;

    public void Int32(short id, int value)
    {
        FieldHeader(id, ThriftType.I32);
        Varint((uint)((value << 1) ^ (value >> 31)));
    }

    public void Int64(short id, long value)
    {
        FieldHeader(id, ThriftType.I64);
        Varint((ulong)((value << 1) ^ (value >> 63)));
    }

    public void Bool(short id, bool value) => FieldHeader(id, value ? ThriftType.True : ThriftType.False);

    public void Bytes(short id, ReadOnlySpan<byte> value)
    {
        FieldHeader(id, ThriftType.Binary);
        BytesValue(value);
    }

    public void String(short id, string value) => Bytes(id, System.Text.Encoding.UTF8.GetBytes(value));

    /// <summary>Starts a struct-valued field; its fields follow, then <see cref="EndStruct"/>.</summary>
    public void BeginStruct(short id)
    {
        FieldHeader(id, ThriftType.Struct);
        BeginStructValue();
    }

    /// <summary>Starts a struct that is a list element (no field header).</summary>
    public void BeginStructValue()
    {
        _outer.Push(_lastId);
        _lastId = 0;
    }

    public void EndStruct()
    {
        Byte(0); // stop
        _lastId = _outer.Pop();
    }

    /// <summary>A list field of <paramref name="count"/> structs; each is written with <see cref="BeginStructValue"/>.</summary>
    public void StructList(short id, int count) => ListHeader(id, ThriftType.Struct, count);

    public void Int32List(short id, ReadOnlySpan<int> values)
    {
        ListHeader(id, ThriftType.I32, values.Length);
        foreach (var value in values)
        {
            Varint((uint)((value << 1) ^ (value >> 31)));
        }
    }

    public void StringList(short id, IReadOnlyList<string> values)
    {
        ListHeader(id, ThriftType.Binary, values.Count);
        foreach (var value in values)
        {
            BytesValue(System.Text.Encoding.UTF8.GetBytes(value));
        }
    }

    private void ListHeader(short id, int elementType, int count)
    {
        FieldHeader(id, ThriftType.List);
        if (count < 15)
        {
            Byte((byte)((count << 4) | elementType));
        }
        else
        {
            Byte((byte)(0xF0 | elementType));
            Varint((uint)count);
        }
    }

    private void FieldHeader(short id, int type)
    {
        var delta = id - _lastId;
        if (delta is > 0 and <= 15)
        {
            Byte((byte)((delta << 4) | type));
        }
        else
        {
            Byte((byte)type);
            Varint((uint)((id << 1) ^ (id >> 15)));
        }

        _lastId = id;
    }

    private void BytesValue(ReadOnlySpan<byte> value)
    {
        Varint((uint)value.Length);
        value.CopyTo(output.GetSpan(value.Length));
        output.Advance(value.Length);
    }

    private void Byte(byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private void Varint(ulong value) => Formats.Varint.Write(output, value);
}
