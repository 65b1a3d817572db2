using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Parquet.Meta;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Formats.Parquet;

/// <summary>
/// Decodes one flat column chunk's pages straight into a column, for the common cases a cold query reads:
/// INT64 (numbers and timestamps), DOUBLE and UTF-8 text; uncompressed, Snappy or Zstandard; PLAIN, dictionary,
/// DELTA_BINARY_PACKED (integers), DELTA_LENGTH_BYTE_ARRAY (text) or BYTE_STREAM_SPLIT (doubles) pages, v1 and
/// v2; required or nullable. Parquet.Net reads the same chunks value by value: a
/// dictionary-encoded text column becomes one <see cref="ReadOnlyMemory{T}"/> per row and then a hash
/// lookup per row, and a timestamp a <see cref="DateTime"/> per row; here a dictionary entry becomes a
/// string once and each row takes it by index, and numbers are decompressed into the column's array.
/// Anything else (other codecs, encodings, nesting) answers null and the caller reads it through Parquet.Net.
/// </summary>
internal static class ParquetChunkDecoder
{
    private const int Plain = 0;
    private const int PlainDictionary = 2;
    private const int Rle = 3;
    private const int DeltaBinaryPacked = 5;
    private const int DeltaLengthByteArray = 6;
    private const int RleDictionary = 8;
    private const int ByteStreamSplit = 9;

    /// <summary>Pages larger than this are refused as damage (Parquet writers make pages of about 1 MiB).</summary>
    private const int MaxPageBytes = 1 << 30;

    /// <summary>What the chunk's values become.</summary>
    public enum Target
    {
        Int64,
        Float64,
        Text,
    }

    /// <summary>
    /// The chunk as a column of <paramref name="rows"/> rows, or null when it uses something this decoder does
    /// not read. <paramref name="scale"/> multiplies (positive) or divides (negative) INT64 values: timestamps
    /// in milliseconds or nanoseconds become microseconds.
    /// </summary>
    /// <exception cref="InvalidDataException">The pages are not what the footer promised.</exception>
    public static async Task<Column?> TryReadAsync(
        Stream stream, ColumnMetaData chunk, int maxDefinitionLevel, Target target, long scale, ColumnSchema schema, int rows, CancellationToken cancellationToken)
    {
        using var column = new ChunkColumn(target, scale, maxDefinitionLevel, rows);
        return await column.TryReadAsync(stream, chunk, 0, rows, cancellationToken) ? column.Build(schema) : null;
    }

    /// <summary>
    /// One column's values over several column chunks (a whole file's row groups), each chunk decoded straight into its
    /// rows of the one array: no array per row group, and no copy to put them together.
    /// </summary>
    public sealed class ChunkColumn(Target target, long scale, int maxDefinitionLevel, int rows) : IDisposable
    {
        // Not zeroed: the pages write every row of a chunk (a chunk that ends early fails reading its next header).
        private readonly long[]? _longs = target == Target.Int64 ? GC.AllocateUninitializedArray<long>(rows) : null;
        private readonly double[]? _doubles = target == Target.Float64 ? GC.AllocateUninitializedArray<double>(rows) : null;
        // Text is held as codes into the file's distinct values while every page is dictionary-encoded; the first page
        // that is not (a writer's fallback past a dictionary's size) turns it into strings.
        private int[]? _codes = target == Target.Text ? GC.AllocateUninitializedArray<int>(rows) : null;
        private string?[]? _strings;
        private readonly Dictionary<string, int>? _fileCodes = target == Target.Text ? new(StringComparer.Ordinal) : null;
        private readonly List<string>? _fileDictionary = target == Target.Text ? [] : null;
        private int[]? _chunkCodes;
        private readonly bool _nullable = maxDefinitionLevel == 1;
        private NullMask? _nulls;
        private CompressionCodec _codec;
        private int _row;
        private int _end;
        private byte[]? _chunk;
        private byte[]? _page;
        private int[]? _levels;
        private int[]? _indices;
        private char[]? _chars;
        private long[]? _lengths;
        private string[]? _dictionaryText;
        private long[]? _dictionaryLongs;
        private double[]? _dictionaryDoubles;

        /// <summary>
        /// Decodes the chunk into rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>); false
        /// when it uses something this decoder does not read (those rows are then left undefined).
        /// </summary>
        /// <exception cref="InvalidDataException">The pages are not what the footer promised.</exception>
        public async Task<bool> TryReadAsync(Stream stream, ColumnMetaData chunk, int start, int count, CancellationToken cancellationToken)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(count, rows - start);
            var physical = target switch
            {
                Target.Int64 => global::Parquet.Meta.Type.INT64,
                Target.Float64 => global::Parquet.Meta.Type.DOUBLE,
                _ => global::Parquet.Meta.Type.BYTE_ARRAY,
            };
            if (chunk.Type != physical || maxDefinitionLevel > 1 || chunk.Codec is not (CompressionCodec.UNCOMPRESSED or CompressionCodec.SNAPPY or CompressionCodec.ZSTD or CompressionCodec.GZIP)
                || chunk.NumValues != count || !stream.CanSeek)
            {
                return false;
            }

            var first = chunk.DictionaryPageOffset is > 0 and var dictionary && dictionary < chunk.DataPageOffset ? dictionary : chunk.DataPageOffset;
            if (first < 0 || chunk.TotalCompressedSize <= 0 || chunk.TotalCompressedSize > int.MaxValue || first + chunk.TotalCompressedSize > stream.Length)
            {
                throw new InvalidDataException("A column chunk lies outside the file.");
            }

            var length = (int)chunk.TotalCompressedSize;
            Rent(ref _chunk, length);
            var bytes = _chunk!;
            stream.Position = first;
            await stream.ReadExactlyAsync(bytes.AsMemory(0, length), cancellationToken);
            (_codec, _row, _end) = (chunk.Codec, start, start + count);
            (_dictionaryText, _dictionaryLongs, _dictionaryDoubles) = (null, null, null); // each chunk has its own dictionary
            return Decode(bytes.AsSpan(0, length));
        }

        /// <summary>Walks the chunk's pages; false when one of them is of a kind this decoder does not read.</summary>
        private bool Decode(ReadOnlySpan<byte> chunk)
        {
            var position = 0;
            while (_row < _end)
            {
                var header = ParquetPageHeader.Read(chunk[position..], out var headerLength);
                position += headerLength;
                if (header.CompressedSize > chunk.Length - position || header.UncompressedSize > MaxPageBytes)
                {
                    throw new InvalidDataException("A page runs past its column chunk.");
                }

                var body = chunk.Slice(position, header.CompressedSize);
                position += header.CompressedSize;
                var ok = header.Type switch
                {
                    ParquetPageHeader.DictionaryPage => ReadDictionary(header, body),
                    ParquetPageHeader.DataPage => ReadDataPage(header, body),
                    ParquetPageHeader.DataPageV2 => ReadDataPageV2(header, body),
                    _ => true, // index pages: nothing to read
                };
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        public Column Build(ColumnSchema schema) => target switch
        {
            Target.Int64 => new Int64Column(schema, _longs!, _nulls),
            Target.Float64 => new Float64Column(schema, _doubles!, _nulls),
            _ when _codes is not null => new StringColumn(schema, _codes, [.. _fileDictionary!], _nulls),
            _ => new StringColumn(schema, _strings!, _nulls), // the pages' definition levels marked the null rows
        };

        public void Dispose()
        {
            Return(_chunk);
            Return(_page);
            Return(_levels);
            Return(_indices);
            Return(_chars);
            Return(_lengths);
        }

        private static void Return<T>(T[]? array)
        {
            if (array is not null)
            {
                ArrayPool<T>.Shared.Return(array);
            }
        }

        private bool ReadDictionary(ParquetPageHeader header, ReadOnlySpan<byte> body)
        {
            if (header.Encoding is not (Plain or PlainDictionary))
            {
                return false;
            }

            // Every entry takes at least four bytes (a length, or a number), so the count is bounded by the page.
            if (header.ValueCount > header.UncompressedSize / 4)
            {
                throw new InvalidDataException("A dictionary page holds more values than it has bytes for.");
            }

            var values = Decompress(body, header.UncompressedSize);
            var count = header.ValueCount;
            switch (target)
            {
                case Target.Int64:
                    _dictionaryLongs = new long[count];
                    ReadPlainFixed(values, _dictionaryLongs);
                    break;
                case Target.Float64:
                    _dictionaryDoubles = new double[count];
                    ReadPlainFixed(values, _dictionaryDoubles);
                    break;
                default:
                    _dictionaryText = new string[count];
                    _chunkCodes = new int[count];
                    var position = 0;
                    for (var i = 0; i < count; i++)
                    {
                        // Each distinct value once for the whole file: a chunk's entry takes the code (and string) of an earlier chunk's.
                        var text = System.Text.Encoding.UTF8.GetString(NextByteArray(values, ref position));
                        ref var code = ref CollectionsMarshal.GetValueRefOrAddDefault(_fileCodes!, text, out var seen);
                        if (!seen)
                        {
                            code = _fileDictionary!.Count;
                            _fileDictionary.Add(text);
                        }

                        _chunkCodes[i] = code;
                        _dictionaryText[i] = _fileDictionary![code];
                    }

                    break;
            }

            return true;
        }

        private bool ReadDataPage(ParquetPageHeader header, ReadOnlySpan<byte> body)
        {
            var page = Decompress(body, header.UncompressedSize);
            var levels = ReadOnlySpan<byte>.Empty;
            if (_nullable)
            {
                if (header.DefinitionLevelEncoding != Rle)
                {
                    return false;
                }

                if (page.Length < 4)
                {
                    throw new InvalidDataException("A data page is cut short.");
                }

                var length = BinaryPrimitives.ReadInt32LittleEndian(page);
                if (length < 0 || length > page.Length - 4)
                {
                    throw new InvalidDataException("A data page's definition levels run past the page.");
                }

                levels = page.Slice(4, length);
                page = page[(4 + length)..];
            }

            return ReadValues(header, levels, page);
        }

        private bool ReadDataPageV2(ParquetPageHeader header, ReadOnlySpan<byte> body)
        {
            if (header.RepetitionLevelsLength != 0)
            {
                return false;
            }

            var size = header.UncompressedSize - header.DefinitionLevelsLength;
            if (header.DefinitionLevelsLength > body.Length || size < 0)
            {
                throw new InvalidDataException("A data page's definition levels run past the page.");
            }

            var levels = body[..header.DefinitionLevelsLength];
            var values = body[header.DefinitionLevelsLength..];
            return ReadValues(header, _nullable ? levels : [], header.Compressed ? Decompress(values, size) : values);
        }

        /// <summary>One page's rows: the definition levels say which are present, the values fill them in order.</summary>
        private bool ReadValues(ParquetPageHeader header, ReadOnlySpan<byte> levels, ReadOnlySpan<byte> values)
        {
            var count = header.ValueCount;
            if (count > _end - _row)
            {
                throw new InvalidDataException("A column chunk holds more values than its row group has rows.");
            }

            var present = count;
            Span<int> definitions = [];
            if (_nullable)
            {
                definitions = Rent(ref _levels, count);
                RleHybrid.Decode(levels, 1, definitions);
                present = definitions.Count(1);
            }

            var encoding = header.Encoding;
            var dictionary = encoding is PlainDictionary or RleDictionary;
            var readable = dictionary || encoding == Plain
                || (encoding == DeltaBinaryPacked && target == Target.Int64) || (encoding == DeltaLengthByteArray && target == Target.Text)
                || (encoding == ByteStreamSplit && target == Target.Float64);
            if (!readable)
            {
                return false;
            }

            if (dictionary && (_dictionaryText ?? (object?)_dictionaryLongs ?? _dictionaryDoubles) is null)
            {
                throw new InvalidDataException("A dictionary-encoded page comes before its dictionary.");
            }

            switch (target)
            {
                case Target.Int64:
                    var longs = _longs.AsSpan(_row, present);
                    if (encoding == DeltaBinaryPacked)
                    {
                        DeltaBinaryPacking.Decode(values, longs);
                    }
                    else
                    {
                        Fill(longs, values, dictionary, _dictionaryLongs);
                    }

                    if (scale != 1)
                    {
                        Scale(longs);
                    }

                    Spread(_longs, definitions, count, present, default);
                    break;
                case Target.Float64:
                    if (encoding == ByteStreamSplit)
                    {
                        ReadByteStreamSplit(values, _doubles.AsSpan(_row, present));
                    }
                    else
                    {
                        Fill(_doubles.AsSpan(_row, present), values, dictionary, _dictionaryDoubles);
                    }

                    Spread(_doubles, definitions, count, present, default);
                    break;
                case Target.Text when dictionary && _codes is not null:
                    var indices = ReadIndices(values, present);
                    var codes = _codes.AsSpan(_row, present);
                    for (var i = 0; i < indices.Length; i++)
                    {
                        codes[i] = _chunkCodes![indices[i]];
                    }

                    Spread(_codes, definitions, count, present, 0);
                    break;
                default:
                    _strings ??= Strings();
                    FillText(_strings.AsSpan(_row, present), values, encoding);
                    Spread(_strings, definitions, count, present, null);
                    break;
            }

            _row += count;
            return true;
        }

        /// <summary>The rows decoded so far as strings, from their codes; from here on the column is strings.</summary>
        private string?[] Strings()
        {
            var strings = new string?[rows];
            for (var i = 0; i < _row; i++)
            {
                strings[i] = _nulls is { } nulls && nulls[i] ? null : _fileDictionary![_codes![i]];
            }

            _codes = null;
            return strings;
        }

        private void Fill<T>(Span<T> output, ReadOnlySpan<byte> values, bool dictionary, T[]? entries)
            where T : unmanaged
        {
            if (!dictionary)
            {
                ReadPlainFixed(values, output);
                return;
            }

            var indices = ReadIndices(values, output.Length);
            for (var i = 0; i < indices.Length; i++)
            {
                output[i] = entries![indices[i]];
            }
        }

        private void FillText(Span<string?> output, ReadOnlySpan<byte> values, int encoding)
        {
            if (encoding is PlainDictionary or RleDictionary)
            {
                var indices = ReadIndices(values, output.Length);
                var entries = _dictionaryText!;
                for (var i = 0; i < indices.Length; i++)
                {
                    output[i] = entries[indices[i]];
                }

                return;
            }

            // PLAIN (a length before each value) or DELTA_LENGTH_BYTE_ARRAY (all lengths, then all values): each
            // distinct value made a string once (up to a bound), as the reader's other text path does.
            Span<long> lengths = [];
            var position = 0;
            if (encoding == DeltaLengthByteArray)
            {
                lengths = Rent(ref _lengths, output.Length);
                position = DeltaBinaryPacking.Decode(values, lengths);
            }

            var shared = new Dictionary<string, string>(StringComparer.Ordinal);
            var lookup = shared.GetAlternateLookup<ReadOnlySpan<char>>();
            for (var i = 0; i < output.Length; i++)
            {
                var utf8 = encoding == Plain ? NextByteArray(values, ref position) : NextSlice(values, lengths[i], ref position);
                var chars = Rent(ref _chars, System.Text.Encoding.UTF8.GetMaxCharCount(utf8.Length));
                chars = chars[..System.Text.Encoding.UTF8.GetChars(utf8, chars)];
                if (!lookup.TryGetValue(chars, out var text))
                {
                    text = new string(chars);
                    if (shared.Count < ParquetDatasetReader.SharedTextValues)
                    {
                        shared[text] = text;
                    }
                }

                output[i] = text;
            }
        }

        private static ReadOnlySpan<byte> NextSlice(ReadOnlySpan<byte> values, long length, ref int position)
        {
            if (length < 0 || length > values.Length - position)
            {
                throw new InvalidDataException("A text value runs past its page.");
            }

            var value = values.Slice(position, (int)length);
            position += (int)length;
            return value;
        }

        /// <summary>
        /// Dictionary indices: a bit width byte, then the RLE/bit-packed hybrid. An index outside the dictionary
        /// fails the array's own bounds check where it is looked up (damage, as the reader reports any such throw).
        /// </summary>
        private ReadOnlySpan<int> ReadIndices(ReadOnlySpan<byte> values, int count)
        {
            var indices = Rent(ref _indices, count);
            if (count == 0)
            {
                return indices;
            }

            if (values.IsEmpty || values[0] > 32)
            {
                throw new InvalidDataException("A dictionary-encoded page has no valid bit width.");
            }

            RleHybrid.Decode(values[1..], values[0], indices);
            return indices;
        }

        /// <summary>The page's <paramref name="present"/> values, packed at its first rows, moved to the rows the levels mark present.</summary>
        private void Spread<T>(T[]? column, ReadOnlySpan<int> definitions, int count, int present, T empty)
        {
            if (present == count)
            {
                return;
            }

            _nulls ??= new NullMask(rows);
            for (int i = count - 1, k = present - 1; i >= 0; i--)
            {
                if (definitions[i] == 1)
                {
                    column![_row + i] = column[_row + k--];
                }
                else
                {
                    column![_row + i] = empty;
                    _nulls.SetNull(_row + i);
                }
            }
        }

        private void Scale(Span<long> values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = scale > 0 ? values[i] * scale : values[i] / -scale;
            }
        }

        private ReadOnlySpan<byte> Decompress(ReadOnlySpan<byte> body, int size)
        {
            switch (_codec)
            {
                case CompressionCodec.SNAPPY:
                    // Snappy expands at most about 21 times: a header claiming more is damage, not a page to allocate for.
                    if (Snappier.Snappy.GetUncompressedLength(body) != size || size > (body.Length * 32L) + 1024)
                    {
                        throw new InvalidDataException("A Snappy page's sizes disagree.");
                    }

                    var page = Rent(ref _page, size);
                    return page[..Snappier.Snappy.Decompress(body, page)];
                case CompressionCodec.ZSTD:
                    // The frame states its size; one that does not, or states another, is not allocated for.
                    if (ZstdSharp.Decompressor.GetDecompressedSize(body) != (ulong)size)
                    {
                        throw new InvalidDataException("A Zstandard page's sizes disagree.");
                    }

                    var buffer = Rent(ref _page, size);
                    using (var zstd = new ZstdSharp.Decompressor())
                    {
                        return zstd.TryUnwrap(body, buffer, out var written) && written == size ? buffer : throw new InvalidDataException("A Zstandard page is damaged.");
                    }

                case CompressionCodec.GZIP:
                    // Deflate expands at most about 1,032 times.
                    if (size > (body.Length * 1032L) + 1024)
                    {
                        throw new InvalidDataException("A gzip page's sizes disagree.");
                    }

                    var inflated = Rent(ref _page, size);
                    using (var gzip = new System.IO.Compression.GZipStream(new MemoryStream(body.ToArray()), System.IO.Compression.CompressionMode.Decompress))
                    {
                        gzip.ReadExactly(inflated); // a stream shorter than promised throws EndOfStreamException: damage
                    }

                    return inflated;
                default:
                    return body.Length == size ? body : throw new InvalidDataException("An uncompressed page's sizes disagree.");
            }
        }

        /// <summary>BYTE_STREAM_SPLIT: the first bytes of every value, then the second bytes, and so on.</summary>
        private static void ReadByteStreamSplit(ReadOnlySpan<byte> values, Span<double> output)
        {
            var count = output.Length;
            if (values.Length < count * sizeof(double))
            {
                throw new InvalidDataException("A page holds fewer values than its header says.");
            }

            var bytes = MemoryMarshal.AsBytes(output);
            for (var stream = 0; stream < sizeof(double); stream++)
            {
                var source = values.Slice(stream * count, count);
                for (var i = 0; i < count; i++)
                {
                    bytes[(i * sizeof(double)) + stream] = source[i];
                }
            }
        }

        private static void ReadPlainFixed<T>(ReadOnlySpan<byte> values, Span<T> output)
            where T : unmanaged
        {
            var bytes = MemoryMarshal.AsBytes(output);
            if (values.Length < bytes.Length)
            {
                throw new InvalidDataException("A page holds fewer values than its header says.");
            }

            values[..bytes.Length].CopyTo(bytes); // Parquet is little-endian, as every platform .NET runs on here
        }

        private static ReadOnlySpan<byte> NextByteArray(ReadOnlySpan<byte> values, ref int position)
        {
            if (values.Length - position < 4)
            {
                throw new InvalidDataException("A text value is cut short.");
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(values[position..]);
            if (length < 0 || length > values.Length - position - 4)
            {
                throw new InvalidDataException("A text value runs past its page.");
            }

            var value = values.Slice(position + 4, length);
            position += 4 + length;
            return value;
        }

        private static Span<T> Rent<T>(ref T[]? buffer, int length)
        {
            if (buffer is null || buffer.Length < length)
            {
                Return(buffer);
                buffer = ArrayPool<T>.Shared.Rent(Math.Max(length, 16));
            }

            return buffer.AsSpan(0, length);
        }
    }
}
