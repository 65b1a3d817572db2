using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Formats.Parquet;

/// <summary>
/// Encodes one column of a row group as a Parquet column chunk (data pages v1 of about 1 MiB, nullable, the
/// definition levels RLE/bit-packed):
/// <list type="bullet">
/// <item>numbers and timestamps with at most one distinct value in eight, and text with at most one in two,
/// get a dictionary page and bit-packed indices: a category, a quantity or a day decodes as a table lookup;</item>
/// <item>other numbers are PLAIN, other text PLAIN (a length, then UTF-8), booleans bit-packed, vectors a list
/// of floats;</item>
/// <item>the chunk is Snappy-compressed when that saves at least an eighth of it, and stored as it is otherwise
/// (random doubles and bit-packed indices hardly shrink, and decode about four times faster uncompressed).</item>
/// </list>
/// Statistics hold the null count, and the least and greatest value of numbers, timestamps and short text.
/// </summary>
internal sealed partial class ParquetColumnChunk(ColumnSchema column)
{
    public const int Boolean = 0;
    public const int Int64 = 2;
    public const int Float = 4;
    public const int Double = 5;
    public const int ByteArray = 6;

    private const int Plain = 0;
    private const int PlainDictionary = 2;
    private const int Rle = 3;
    private const int DataPage = 0;
    private const int DictionaryPage = 2;
    private const int PageBytes = 1 << 20;
    private const int MaxDictionaryBytes = 16 << 20;

    /// <summary>A chunk whose first 64 KiB Snappy does not shrink by an eighth is not compressed further to find out.</summary>
    private const int CompressionProbe = 64 << 10;

    private readonly ArrayBufferWriter<byte> _raw = new();
    private readonly ArrayBufferWriter<byte> _compressed = new();
    private readonly ArrayBufferWriter<byte> _levels = new();
    private readonly ArrayBufferWriter<byte> _header = new(64);
    private readonly List<Page> _pages = [];

    /// <summary>Where a chunk went and what the footer says of it.</summary>
    public sealed record Metadata(long Values, long Uncompressed, long Compressed, long DataPageOffset, long? DictionaryPageOffset, bool Dictionary, bool Snappy, Statistics Statistics);

    public ColumnSchema Column => column;

    public int PhysicalType => column.Type switch
    {
        ColumnType.Int64 or ColumnType.Timestamp => Int64,
        ColumnType.Float64 => Double,
        ColumnType.Boolean => Boolean,
        ColumnType.Vector => Float,
        _ => ByteArray,
    };

    public string[] Path => column.Type == ColumnType.Vector ? [column.Name, "list", "element"] : [column.Name];

    /// <summary>Encodes <paramref name="values"/> as the chunk that starts at <paramref name="position"/> of the file.</summary>
    public Metadata Write(Column values, long position, IBufferWriter<byte> output)
    {
        _raw.ResetWrittenCount();
        _pages.Clear();
        var (statistics, dictionary) = values switch
        {
            Int64Column longs => WriteFixed(longs.Values, values.Nulls, values.Length, isDouble: false),
            Float64Column doubles => WriteFixed(MemoryMarshal.Cast<double, long>(doubles.Values), values.Nulls, values.Length, isDouble: true),
            StringColumn strings => WriteText(strings.Values, values.Nulls, values.Length),
            BooleanColumn booleans => (WriteBooleans(booleans.Values, values.Nulls, values.Length), false),
            VectorColumn vectors => (WriteVectors(vectors), false),
            _ => throw new SchemaException($"Column '{column.Name}' of type {column.Type} cannot be written to Parquet."),
        };
        return Emit(position, output, statistics, dictionary);
    }

    private (Statistics, bool Dictionary) WriteFixed(ReadOnlySpan<long> all, NullMask? nulls, int rows, bool isDouble)
    {
        long[]? gathered = null;
        int[]? indices = null;
        try
        {
            var present = Present(all[..rows], nulls, ref gathered);
            var statistics = isDouble ? DoubleStatistics(MemoryMarshal.Cast<long, double>(present), rows - present.Length)
                : LongStatistics(present, rows - present.Length);
            var entries = Distinct(present, ref indices);
            if (entries is not null)
            {
                BeginPage();
                _raw.Write(MemoryMarshal.AsBytes(entries.AsSpan()));
                EndPage(DictionaryPage, entries.Length, PlainDictionary);
            }

            var next = 0;
            for (var start = 0; start < rows; start += PageBytes / sizeof(long))
            {
                var end = Math.Min(rows, start + (PageBytes / sizeof(long)));
                var count = WriteDefinitions(nulls, start, end);
                if (entries is not null)
                {
                    WriteIndices(indices.AsSpan(next, count), entries.Length);
                }
                else
                {
                    _raw.Write(MemoryMarshal.AsBytes(present.Slice(next, count)));
                }

                next += count;
                EndPage(DataPage, end - start, entries is null ? Plain : PlainDictionary);
            }

            return (statistics, entries is not null);
        }
        finally
        {
            Return(gathered);
            Return(indices);
        }
    }

    /// <summary>The distinct values and each value's index, or null when more than one value in eight is new.</summary>
    private static long[]? Distinct(ReadOnlySpan<long> values, ref int[]? indices)
    {
        var limit = values.Length / 8;
        if (limit == 0)
        {
            return null;
        }

        var seen = new Dictionary<long, int>(Math.Min(limit, 4096));
        indices = ArrayPool<int>.Shared.Rent(values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(seen, values[i], out var exists);
            if (!exists)
            {
                if (seen.Count > limit)
                {
                    return null;
                }

                index = seen.Count - 1;
            }

            indices[i] = index;
        }

        var entries = new long[seen.Count];
        foreach (var (value, index) in seen)
        {
            entries[index] = value;
        }

        return entries;
    }

    private (Statistics, bool Dictionary) WriteText(ReadOnlySpan<string?> all, NullMask? nulls, int rows)
    {
        var present = new List<string>(rows);
        long chars = 0;
        for (var i = 0; i < rows; i++)
        {
            if (all[i] is { } text)
            {
                present.Add(text);
                chars += text.Length;
            }
        }

        // Dictionary-encoded when at most one value in two is new and the dictionary stays a modest page.
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var indices = ArrayPool<int>.Shared.Rent(Math.Max(1, present.Count));
        try
        {
            long dictionaryBytes = 0;
            var dictionary = present.Count >= 2;
            for (var i = 0; i < present.Count && dictionary; i++)
            {
                ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(seen, present[i], out var exists);
                if (!exists)
                {
                    index = seen.Count - 1;
                    dictionaryBytes += 4 + System.Text.Encoding.UTF8.GetByteCount(present[i]);
                    dictionary = seen.Count <= present.Count / 2 && dictionaryBytes <= MaxDictionaryBytes;
                }

                indices[i] = index;
            }

            var entries = dictionary ? new string[seen.Count] : null;
            if (entries is not null)
            {
                foreach (var (value, index) in seen)
                {
                    entries[index] = value;
                }

                BeginPage();
                foreach (var entry in entries)
                {
                    WritePlainText(entry);
                }

                EndPage(DictionaryPage, entries.Length, PlainDictionary);
            }

            var statistics = TextStatistics(entries ?? (IEnumerable<string>)present, rows - present.Count);
            var averageBytes = entries is not null ? 4 : 4 + (chars / Math.Max(1, present.Count));
            var pageRows = (int)Math.Max(1, PageBytes / averageBytes);
            var next = 0;
            for (var start = 0; start < rows; start += pageRows)
            {
                var end = (int)Math.Min(rows, (long)start + pageRows);
                var count = WriteDefinitions(nulls, start, end);
                if (entries is not null)
                {
                    WriteIndices(indices.AsSpan(next, count), entries.Length);
                }
                else
                {
                    for (var i = next; i < next + count; i++)
                    {
                        WritePlainText(present[i]);
                    }
                }

                next += count;
                EndPage(DataPage, end - start, entries is null ? Plain : PlainDictionary);
            }

            return (statistics, entries is not null);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(indices);
        }
    }

    private void WritePlainText(string text)
    {
        var length = System.Text.Encoding.UTF8.GetByteCount(text);
        var span = _raw.GetSpan(4 + length);
        BinaryPrimitives.WriteInt32LittleEndian(span, length);
        System.Text.Encoding.UTF8.GetBytes(text, span[4..]);
        _raw.Advance(4 + length);
    }

    private Statistics WriteBooleans(ReadOnlySpan<bool> all, NullMask? nulls, int rows)
    {
        var nullCount = 0;
        for (var start = 0; start < rows; start += PageBytes)
        {
            var end = Math.Min(rows, start + PageBytes);
            var count = WriteDefinitions(nulls, start, end);
            nullCount += end - start - count;

            // PLAIN booleans: one bit each, least significant first.
            var bytes = _raw.GetSpan((count + 7) / 8)[..((count + 7) / 8)];
            bytes.Clear();
            var bit = 0;
            for (var row = start; row < end; row++)
            {
                if (nulls is null || !nulls[row])
                {
                    if (all[row])
                    {
                        bytes[bit >> 3] |= (byte)(1 << (bit & 7));
                    }

                    bit++;
                }
            }

            _raw.Advance(bytes.Length);
            EndPage(DataPage, end - start, Plain);
        }

        return new Statistics(nullCount, null, null);
    }

    /// <summary>
    /// A vector column as LIST&lt;FLOAT&gt;: a null row is one entry at definition level 0, a row of n values n entries at
    /// level 2 (repetition 0 for the first, 1 for the rest), an empty row one entry at level 1.
    /// </summary>
    private Statistics WriteVectors(VectorColumn vectors)
    {
        var dimension = vectors.Dimension;
        var nulls = vectors.Nulls;
        var pageRows = Math.Max(1, PageBytes / Math.Max(1, dimension * sizeof(float)));
        for (var start = 0; start < vectors.Length; start += pageRows)
        {
            var end = Math.Min(vectors.Length, start + pageRows);
            var entries = 0;
            for (var row = start; row < end; row++)
            {
                entries += nulls is not null && nulls[row] ? 1 : Math.Max(1, dimension);
            }

            var repetitions = ArrayPool<int>.Shared.Rent(entries);
            var definitions = ArrayPool<int>.Shared.Rent(entries);
            try
            {
                var entry = 0;
                for (var row = start; row < end; row++)
                {
                    var isNull = nulls is not null && nulls[row];
                    var count = isNull ? 1 : Math.Max(1, dimension);
                    repetitions.AsSpan(entry, count).Fill(1);
                    repetitions[entry] = 0;
                    definitions.AsSpan(entry, count).Fill(isNull ? 0 : dimension == 0 ? 1 : 2);
                    entry += count;
                }

                BeginPage();
                WriteLevels(repetitions.AsSpan(0, entries), 1);
                WriteLevels(definitions.AsSpan(0, entries), 2);
                for (var row = start; row < end; row++)
                {
                    if (nulls is null || !nulls[row])
                    {
                        _raw.Write(MemoryMarshal.AsBytes(vectors.Row(row)));
                    }
                }

                EndPage(DataPage, entries, Plain);
            }
            finally
            {
                ArrayPool<int>.Shared.Return(repetitions);
                ArrayPool<int>.Shared.Return(definitions);
            }
        }

        return new Statistics(vectors.CountNulls(), null, null);
    }

    /// <summary>Starts a data page with the definition levels of rows [start, end); answers how many of them are present.</summary>
    private int WriteDefinitions(NullMask? nulls, int start, int end)
    {
        BeginPage();
        if (nulls is null)
        {
            // Every row present: one run of 1s.
            _levels.ResetWrittenCount();
            RleHybrid.WriteRun(1, end - start, 1, _levels);
            CopyLevels();
            return end - start;
        }

        var definitions = ArrayPool<int>.Shared.Rent(end - start);
        try
        {
            var present = 0;
            for (var row = start; row < end; row++)
            {
                var isPresent = !nulls[row];
                definitions[row - start] = isPresent ? 1 : 0;
                present += isPresent ? 1 : 0;
            }

            WriteLevels(definitions.AsSpan(0, end - start), 1);
            return present;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(definitions);
        }
    }

    /// <summary>Levels as data pages v1 hold them: their byte length, then the RLE/bit-packed hybrid.</summary>
    private void WriteLevels(ReadOnlySpan<int> levels, int bitWidth)
    {
        _levels.ResetWrittenCount();
        RleHybrid.Encode(levels, bitWidth, _levels);
        CopyLevels();
    }

    private void CopyLevels()
    {
        BinaryPrimitives.WriteInt32LittleEndian(_raw.GetSpan(4), _levels.WrittenCount);
        _raw.Advance(4);
        _raw.Write(_levels.WrittenSpan);
    }

    private void WriteIndices(ReadOnlySpan<int> indices, int entries)
    {
        var bitWidth = Math.Max(1, 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)(entries - 1)));
        _raw.GetSpan(1)[0] = (byte)bitWidth;
        _raw.Advance(1);
        RleHybrid.Encode(indices, bitWidth, _raw);
    }

    private int _pageStart;

    private void BeginPage() => _pageStart = _raw.WrittenCount;

    private void EndPage(int type, int values, int encoding) => _pages.Add(new Page(type, values, encoding, _pageStart, _raw.WrittenCount - _pageStart));

    /// <summary>Compresses the pages if that pays, and writes each after its header.</summary>
    private Metadata Emit(long position, IBufferWriter<byte> output, Statistics statistics, bool dictionary)
    {
        var compressedAt = new int[_pages.Count];
        var snappy = Compresses(compressedAt);
        long uncompressed = 0, compressed = 0, values = 0;
        long? dictionaryOffset = null;
        long dataOffset = -1;
        for (var p = 0; p < _pages.Count; p++)
        {
            var page = _pages[p];
            var stored = !snappy ? _raw.WrittenSpan.Slice(page.Offset, page.Length)
                : _compressed.WrittenSpan[compressedAt[p]..(p + 1 < _pages.Count ? compressedAt[p + 1] : _compressed.WrittenCount)];
            _header.ResetWrittenCount();
            WriteHeader(_header, page, stored.Length);
            var at = position + compressed;
            if (page.Type == DictionaryPage)
            {
                dictionaryOffset = at;
            }
            else
            {
                dataOffset = dataOffset < 0 ? at : dataOffset;
                values += page.Values;
            }

            output.Write(_header.WrittenSpan);
            output.Write(stored);
            uncompressed += _header.WrittenCount + page.Length;
            compressed += _header.WrittenCount + stored.Length;
        }

        return new Metadata(values, uncompressed, compressed, dataOffset, dictionaryOffset, dictionary, snappy, statistics);
    }

    /// <summary>
    /// Whether the chunk is stored Snappy-compressed: when that saves at least an eighth of it. Each page's compressed
    /// bytes start at <paramref name="compressedAt"/>. A chunk whose first <see cref="CompressionProbe"/> bytes do not
    /// shrink by an eighth (random numbers, bit-packed codes) is not compressed further.
    /// </summary>
    private bool Compresses(int[] compressedAt)
    {
        var raw = _raw.WrittenSpan;
        var probe = raw[..Math.Min(raw.Length, CompressionProbe)];
        _compressed.ResetWrittenCount();
        if (Snappier.Snappy.Compress(probe, _compressed.GetSpan(Snappier.Snappy.GetMaxCompressedLength(probe.Length))) * 8L >= probe.Length * 7L)
        {
            return false;
        }

        for (var p = 0; p < _pages.Count; p++)
        {
            var page = raw.Slice(_pages[p].Offset, _pages[p].Length);
            compressedAt[p] = _compressed.WrittenCount;
            _compressed.Advance(Snappier.Snappy.Compress(page, _compressed.GetSpan(Snappier.Snappy.GetMaxCompressedLength(page.Length))));
        }

        return _compressed.WrittenCount * 8L < raw.Length * 7L;
    }

    private static void WriteHeader(IBufferWriter<byte> output, Page page, int storedLength)
    {
        var thrift = new ThriftCompactWriter(output);
        thrift.BeginStructValue();
        thrift.Int32(1, page.Type);
        thrift.Int32(2, page.Length);
        thrift.Int32(3, storedLength);
        if (page.Type == DataPage)
        {
            thrift.BeginStruct(5);
            thrift.Int32(1, page.Values);
            thrift.Int32(2, page.Encoding);
            thrift.Int32(3, Rle);
            thrift.Int32(4, Rle);
            thrift.EndStruct();
        }
        else
        {
            thrift.BeginStruct(7);
            thrift.Int32(1, page.Values);
            thrift.Int32(2, page.Encoding);
            thrift.EndStruct();
        }

        thrift.EndStruct();
    }

    private static ReadOnlySpan<long> Present(ReadOnlySpan<long> all, NullMask? nulls, ref long[]? gathered)
    {
        if (nulls is null)
        {
            return all;
        }

        gathered = ArrayPool<long>.Shared.Rent(all.Length);
        var count = 0;
        for (var i = 0; i < all.Length; i++)
        {
            if (!nulls[i])
            {
                gathered[count++] = all[i];
            }
        }

        return gathered.AsSpan(0, count);
    }

    private static void Return<T>(T[]? array)
    {
        if (array is not null)
        {
            ArrayPool<T>.Shared.Return(array);
        }
    }

    private readonly record struct Page(int Type, int Values, int Encoding, int Offset, int Length);
}
