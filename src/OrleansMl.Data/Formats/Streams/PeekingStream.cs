namespace OrleansMl.Data.Formats.Streams;

/// <summary>
/// A forward-only read view of a stream whose first bytes have been read ahead, so a format can be
/// sniffed (gzip or not) on sources that cannot seek. Reads return the peeked bytes first.
/// </summary>
internal sealed class PeekingStream : ForwardReadStream
{
    private readonly Stream _inner;
    private readonly byte[] _prefix;
    private readonly int _prefixLength;
    private int _prefixPosition;

    public PeekingStream(Stream inner, int peekLength)
    {
        _inner = inner;
        _prefix = new byte[peekLength];
        _prefixLength = inner.ReadAtLeast(_prefix, peekLength, throwOnEndOfStream: false);
    }

    /// <summary>The first bytes of the stream; shorter than asked when the stream is.</summary>
    public ReadOnlySpan<byte> Prefix => _prefix.AsSpan(0, _prefixLength);

    public override int Read(Span<byte> buffer)
    {
        if (_prefixPosition < _prefixLength)
        {
            var count = Math.Min(buffer.Length, _prefixLength - _prefixPosition);
            _prefix.AsSpan(_prefixPosition, count).CopyTo(buffer);
            _prefixPosition += count;
            return count;
        }

        return _inner.Read(buffer);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
