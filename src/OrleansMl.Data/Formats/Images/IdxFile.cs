using System.Buffers.Binary;
using System.IO.Compression;
using OrleansMl.Data.Formats.Streams;

namespace OrleansMl.Data.Formats.Images;

/// <summary>
/// One IDX file opened for sequential reading: its validated header and a forward-only view of its
/// records, gunzipped when the source starts with the gzip magic bytes 1F 8B.
/// </summary>
internal sealed class IdxFile : IDisposable
{
    /// <summary>The IDX data type code of unsigned bytes, the only one supported.</summary>
    public const byte UnsignedByte = 0x08;

    /// <summary>The largest record read: 64 MiB, an 8192 × 8192 single-channel image.</summary>
    public const int MaxRecordBytes = 64 << 20;

    /// <summary>How many times its compressed size gzip data may expand to: far above what pixels compress by (Fashion-MNIST: 1.8), far below a bomb's (zeros: about 1000).</summary>
    public const int MaxGzipRatio = 200;

    private readonly CountingStream _source;
    private readonly Stream _data;
    private long _offset;

    private IdxFile(CountingStream source, Stream data, string sourceName, string kind, bool isGzip)
    {
        _source = source;
        _data = data;
        SourceName = sourceName;
        Kind = kind;
        IsGzip = isGzip;
    }

    public string SourceName { get; }

    /// <summary>What one record is, for messages: "image" or "label".</summary>
    public string Kind { get; }

    public bool IsGzip { get; }

    /// <summary>The number of records the header declares.</summary>
    public long Count { get; private set; }

    /// <summary>The sizes of the dimensions after the record count (rows and columns for images).</summary>
    public IReadOnlyList<int> RecordShape { get; private set; } = [];

    /// <summary>Bytes per record: the product of <see cref="RecordShape"/>.</summary>
    public int RecordSize { get; private set; }

    /// <summary>Bytes taken from the source so far, compressed when the source is gzip.</summary>
    public long SourceBytesRead => _source.BytesRead;

    /// <summary>Opens <paramref name="source"/> and reads and checks its header.</summary>
    /// <param name="dimensions">The dimension count the file must have, the record count included.</param>
    public static IdxFile Open(Stream source, string sourceName, string kind, int dimensions)
    {
        var counting = new CountingStream(source);
        var peeking = new PeekingStream(counting, 2);
        var isGzip = peeking.Prefix is [0x1F, 0x8B];
        Stream data = isGzip ? new GZipStream(peeking, CompressionMode.Decompress) : peeking;
        var file = new IdxFile(counting, data, sourceName, kind, isGzip);
        try
        {
            file.ReadHeader(dimensions);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Fills <paramref name="destination"/> (a whole number of records) with the records from
    /// <paramref name="firstRecord"/> (0-based) on; throws when the file ends first.
    /// </summary>
    public void ReadRecords(Span<byte> destination, long firstRecord)
    {
        var read = ReadFully(destination);
        if (read < destination.Length)
        {
            var record = firstRecord + (read / RecordSize) + 1;
            var expectedEnd = HeaderSize + (Count * RecordSize);
            throw Error(
                $"the file is truncated: {Kind} record {record} of {Count} is incomplete. The data ends at byte offset {_offset}" +
                $"{(IsGzip ? " (decompressed)" : string.Empty)}; {Count} records of {RecordSize} bytes need {expectedEnd} bytes.",
                record);
        }
    }

    public void Dispose() => _data.Dispose();

    private int HeaderSize => 4 * (RecordShape.Count + 2);

    private void ReadHeader(int dimensions)
    {
        Span<byte> magic = stackalloc byte[4];
        ReadHeaderPart(magic, "the 4-byte magic number");
        var expectedMagic = (UnsignedByte << 8) | dimensions;
        var actualMagic = BinaryPrimitives.ReadInt32BigEndian(magic);
        if (magic[0] != 0 || magic[1] != 0)
        {
            throw Error(
                $"not an IDX file: it starts with 0x{actualMagic:X8} at offset 0; an IDX {Kind}s file starts with the magic number 0x{expectedMagic:X8}.");
        }

        if (magic[2] != UnsignedByte)
        {
            throw Error(
                $"IDX data type 0x{magic[2]:X2} ({TypeName(magic[2])}) at offset 2 is not supported; only 0x08 (unsigned byte) is.");
        }

        if (magic[3] != dimensions)
        {
            var hint = magic[3] switch
            {
                1 when dimensions != 1 => " It looks like a labels file.",
                3 when dimensions != 3 => " It looks like an images file.",
                _ => string.Empty,
            };
            throw Error(
                $"the magic number 0x{actualMagic:X8} at offset 0 declares {magic[3]} dimensions; an IDX {Kind}s file has {dimensions} (magic 0x{expectedMagic:X8}).{hint}");
        }

        Span<byte> sizes = stackalloc byte[4 * dimensions];
        ReadHeaderPart(sizes, $"the {dimensions} dimension sizes");
        Count = BinaryPrimitives.ReadUInt32BigEndian(sizes);
        var shape = new int[dimensions - 1];
        long recordSize = 1;
        for (var i = 0; i < shape.Length; i++)
        {
            var size = BinaryPrimitives.ReadUInt32BigEndian(sizes[(4 * (i + 1))..]);
            if (size == 0)
            {
                throw Error($"dimension {i + 2} (at offset {4 * (i + 2)}) has size 0; every record must hold at least one value.");
            }

            recordSize *= size;
            if (recordSize > MaxRecordBytes)
            {
                throw Error($"dimension {i + 2} (at offset {4 * (i + 2)}) makes a record larger than the limit of {MaxRecordBytes:N0} bytes.");
            }

            shape[i] = (int)size;
        }

        RecordShape = shape;
        RecordSize = (int)recordSize;

        // A plain file says how long it is: a header that promises more than it holds is refused before anything is allocated.
        if (!IsGzip && _source.KnownLength is { } length && HeaderSize + (Count * RecordSize) > length)
        {
            throw Error(
                $"the file is truncated: its header declares {Count} {Kind} records of {RecordSize} bytes ({HeaderSize + (Count * RecordSize)} bytes with the header), but the file has {length} bytes.");
        }
    }

    private void ReadHeaderPart(Span<byte> destination, string what)
    {
        var start = _offset;
        if (ReadFully(destination) < destination.Length)
        {
            throw Error(
                _offset == 0
                    ? "the file is empty; expected an IDX header."
                    : $"the file ends at byte offset {_offset}, inside {what} (from offset {start}).");
        }
    }

    private int ReadFully(Span<byte> destination)
    {
        try
        {
            var read = _data.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
            _offset += read;
            if (IsGzip && _offset > 1 << 20 && _offset > (long)MaxGzipRatio * Math.Max(1, _source.BytesRead))
            {
                throw Error($"the gzip data expands more than {MaxGzipRatio} times ({_source.BytesRead} compressed bytes gave {_offset}); refused as a decompression bomb.");
            }

            return read;
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(SourceName, $"the gzip data is corrupt after decompressed byte offset {_offset}: {e.Message}", inner: e);
        }
    }

    private DataFormatException Error(string problem, long? record = null) => new(SourceName, problem, record);

    private static string TypeName(byte type) => type switch
    {
        0x09 => "signed byte",
        0x0B => "16-bit integer",
        0x0C => "32-bit integer",
        0x0D => "32-bit float",
        0x0E => "64-bit float",
        _ => "unknown",
    };
}
