using System.IO.Compression;

namespace OrleansMl.Data.Formats.Streams;

/// <summary>
/// A text source (CSV, JSON lines) opened for reading: gzip is told by its first two bytes, not by
/// the file's name, and decompressed on the fly with a cap on what it may expand to, so a small
/// upload cannot make a silo write without bound. Counts the bytes taken from the source itself
/// (compressed when it is gzip), which is what progress and size estimates compare with its length.
/// </summary>
public sealed class SourceStream : IDisposable
{
    private readonly CountingStream _source;

    private SourceStream(CountingStream source, Stream data, bool isGzip)
    {
        _source = source;
        Data = data;
        IsGzip = isGzip;
    }

    /// <summary>The bytes to parse: decompressed when the source is gzip.</summary>
    public Stream Data { get; }

    /// <summary>True when the source is gzip.</summary>
    public bool IsGzip { get; }

    /// <summary>Bytes taken from the source so far, compressed when it is gzip.</summary>
    public long SourceBytesRead => _source.BytesRead;

    /// <summary>Opens <paramref name="source"/>; a gzip source may expand to at most <paramref name="maxExpandedBytes"/>.</summary>
    public static SourceStream Open(Stream source, string sourceName, long maxExpandedBytes)
    {
        var counting = new CountingStream(source);
        var peeking = new PeekingStream(counting, 2);
        if (peeking.Prefix is not [0x1F, 0x8B])
        {
            return new SourceStream(counting, peeking, isGzip: false);
        }

        return new SourceStream(counting, new GzipData(new GZipStream(peeking, CompressionMode.Decompress), sourceName, maxExpandedBytes), isGzip: true);
    }

    public void Dispose() => Data.Dispose();

    /// <summary>Decompressed gzip that stops at a cap and names a damaged stream in the user's terms.</summary>
    private sealed class GzipData(GZipStream inner, string sourceName, long maxBytes) : ForwardReadStream
    {
        private long _expanded;

        public override int Read(Span<byte> buffer)
        {
            int read;
            try
            {
                read = inner.Read(buffer);
            }
            catch (InvalidDataException e)
            {
                throw new DataFormatException(sourceName, $"the gzip data is damaged after {_expanded:N0} decompressed bytes", inner: e);
            }

            _expanded += read;
            if (_expanded > maxBytes)
            {
                throw new DataFormatException(sourceName, $"the gzip data expands past {maxBytes:N0} bytes, the most a compressed source may unpack to (OrleansMl:Datasets:MaxArchiveBytes)");
            }

            return read;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
