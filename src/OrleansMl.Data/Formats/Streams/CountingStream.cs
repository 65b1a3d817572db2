namespace OrleansMl.Data.Formats.Streams;

/// <summary>A forward-only read view of a stream that counts the bytes taken from it, for progress.</summary>
internal sealed class CountingStream(Stream inner) : Stream
{
    /// <summary>Bytes read from the inner stream so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The bytes the inner stream holds from where it stood when wrapped, when it can say (a file); null otherwise.</summary>
    public long? KnownLength { get; } = inner.CanSeek ? inner.Length - inner.Position : null;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        BytesRead += read;
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
