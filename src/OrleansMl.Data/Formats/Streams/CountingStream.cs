namespace OrleansMl.Data.Formats.Streams;

/// <summary>A forward-only read view of a stream that counts the bytes taken from it, for progress.</summary>
internal sealed class CountingStream(Stream inner) : ForwardReadStream
{
    /// <summary>Bytes read from the inner stream so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The bytes the inner stream holds from where it stood when wrapped, when it can say (a file); null otherwise.</summary>
    public long? KnownLength { get; } = inner.CanSeek ? inner.Length - inner.Position : null;

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        BytesRead += read;
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
