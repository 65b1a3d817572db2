namespace OrleansMl.Data.Formats.Parquet;

/// <summary>
/// The parts of a Parquet page header (Thrift compact protocol) the chunk decoder needs. Fields it does not
/// use (statistics, CRC, index pages) are skipped by type, so headers from any writer parse.
/// </summary>
internal readonly record struct ParquetPageHeader(
    int Type,
    int UncompressedSize,
    int CompressedSize,
    int ValueCount,
    int Encoding,
    int DefinitionLevelEncoding,
    int DefinitionLevelsLength,
    int RepetitionLevelsLength,
    bool Compressed)
{
    public const int DataPage = 0;
    public const int DictionaryPage = 2;
    public const int DataPageV2 = 3;

    /// <summary>Nested structs deeper than this are refused (a hostile header cannot recurse without end).</summary>
    private const int MaxDepth = 16;

    /// <summary>Parses the header at the start of <paramref name="data"/>; <paramref name="length"/> is its size in bytes.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a page header.</exception>
    public static ParquetPageHeader Read(ReadOnlySpan<byte> data, out int length)
    {
        var reader = new Reader(data);
        int type = -1, uncompressed = -1, compressed = -1, values = 0, encoding = 0, definitionEncoding = 3, definitions = 0, repetitions = 0;
        var isCompressed = true;
        short id = 0;
        while (reader.NextField(ref id, out var fieldType))
        {
            switch (id)
            {
                case 1 when fieldType == ThriftType.I32: type = reader.ReadInt(); break;
                case 2 when fieldType == ThriftType.I32: uncompressed = reader.ReadInt(); break;
                case 3 when fieldType == ThriftType.I32: compressed = reader.ReadInt(); break;
                case 5 or 7 or 8 when fieldType == ThriftType.Struct:
                    short inner = 0;
                    while (reader.NextField(ref inner, out var innerType))
                    {
                        // DataPageHeader (5): 1 num_values, 2 encoding, 3 definition_level_encoding.
                        // DictionaryPageHeader (7): 1 num_values, 2 encoding.
                        // DataPageHeaderV2 (8): 1 num_values, 4 encoding, 5 definition_levels_byte_length,
                        // 6 repetition_levels_byte_length, 7 is_compressed.
                        switch (id, inner, innerType)
                        {
                            case (_, 1, ThriftType.I32): values = reader.ReadInt(); break;
                            case (5 or 7, 2, ThriftType.I32): encoding = reader.ReadInt(); break;
                            case (5, 3, ThriftType.I32): definitionEncoding = reader.ReadInt(); break;
                            case (8, 4, ThriftType.I32): encoding = reader.ReadInt(); break;
                            case (8, 5, ThriftType.I32): definitions = reader.ReadInt(); break;
                            case (8, 6, ThriftType.I32): repetitions = reader.ReadInt(); break;
                            case (8, 7, ThriftType.True or ThriftType.False): isCompressed = innerType == ThriftType.True; break;
                            default: reader.Skip(innerType, 1); break;
                        }
                    }

                    break;
                default: reader.Skip(fieldType, 0); break;
            }
        }

        if (type < 0 || uncompressed < 0 || compressed < 0 || values < 0 || definitions < 0 || repetitions < 0)
        {
            throw new InvalidDataException("A Parquet page header lacks its type or sizes.");
        }

        length = reader.Position;
        return new ParquetPageHeader(type, uncompressed, compressed, values, encoding, definitionEncoding, definitions, repetitions, isCompressed);
    }

    /// <summary>Thrift's compact protocol: just enough to read and skip fields.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {

        private readonly ReadOnlySpan<byte> _data = data;

        public int Position { get; private set; }

        /// <summary>The next field of the current struct, false at its end (field ids are deltas from <paramref name="id"/>).</summary>
        public bool NextField(ref short id, out int type)
        {
            var header = ReadByte();
            type = header & 0x0F;
            if (type == 0)
            {
                return false;
            }

            var delta = header >> 4;
            id = delta != 0 ? (short)(id + delta) : (short)ZigZag(ReadVarint());
            return true;
        }

        public int ReadInt() => checked((int)ZigZag(ReadVarint()));

        public void Skip(int type, int depth)
        {
            if (depth > MaxDepth)
            {
                throw new InvalidDataException("A Parquet page header nests too deeply.");
            }

            switch (type)
            {
                case ThriftType.True or ThriftType.False:
                    break;
                case ThriftType.Byte:
                    ReadByte();
                    break;
                case ThriftType.I16 or ThriftType.I32 or ThriftType.I64:
                    ReadVarint();
                    break;
                case ThriftType.Double:
                    Advance(8);
                    break;
                case ThriftType.Binary:
                    Advance(checked((int)ReadVarint()));
                    break;
                case ThriftType.List or ThriftType.Set:
                    var header = ReadByte();
                    var count = header >> 4 == 15 ? checked((int)ReadVarint()) : header >> 4;
                    for (var i = 0; i < count; i++)
                    {
                        // Booleans in a list are a byte each.
                        if ((header & 0x0F) is ThriftType.True or ThriftType.False)
                        {
                            ReadByte();
                        }
                        else
                        {
                            Skip(header & 0x0F, depth + 1);
                        }
                    }

                    break;
                case ThriftType.Map:
                    var entries = checked((int)ReadVarint());
                    if (entries > 0)
                    {
                        var kinds = ReadByte();
                        for (var i = 0; i < entries; i++)
                        {
                            Skip(kinds >> 4, depth + 1);
                            Skip(kinds & 0x0F, depth + 1);
                        }
                    }

                    break;
                case ThriftType.Struct:
                    short id = 0;
                    while (NextField(ref id, out var fieldType))
                    {
                        Skip(fieldType, depth + 1);
                    }

                    break;
                default:
                    throw new InvalidDataException($"A Parquet page header has a field of unknown type {type}.");
            }
        }

        private static long ZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

        private ulong ReadVarint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = ReadByte();
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }

            throw new InvalidDataException("A Parquet page header has a malformed number.");
        }

        private byte ReadByte()
        {
            if (Position >= _data.Length)
            {
                throw new InvalidDataException("A Parquet page header is cut short.");
            }

            return _data[Position++];
        }

        private void Advance(int bytes)
        {
            if (bytes < 0 || bytes > _data.Length - Position)
            {
                throw new InvalidDataException("A Parquet page header is cut short.");
            }

            Position += bytes;
        }
    }
}
