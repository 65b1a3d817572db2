namespace OrleansMl.Data.Formats.JsonLines;

/// <summary>
/// The unread bytes of a forward-only stream in one block: <see cref="Start"/> to <see cref="End"/>.
/// <see cref="Fill"/> moves them to the front and reads more, growing the block (up to a limit) when
/// they fill it, so a record longer than the block still ends up whole in it.
/// </summary>
internal sealed class StreamWindow(Stream stream, int maxRecordBytes, int bufferBytes)
{
    private byte[] _buffer = new byte[bufferBytes];
    private bool _eof;

    /// <summary>The first byte not consumed yet.</summary>
    public int Start { get; set; }

    /// <summary>Just past the last byte read.</summary>
    public int End { get; private set; }

    /// <summary>Bytes consumed from the stream.</summary>
    public long BytesRead { get; private set; }

    public byte this[int index] => _buffer[index];

    /// <summary>Bytes of the block, valid until the next <see cref="Fill"/>.</summary>
    public Span<byte> Slice(int start, int length) => _buffer.AsSpan(start, length);

    /// <summary>Moves the unread bytes to the front (growing the block when they fill it) and reads more; false at the end of the stream.</summary>
    public bool Fill()
    {
        if (_eof)
        {
            return false;
        }

        var pending = End - Start;
        if (Start > 0)
        {
            _buffer.AsSpan(Start, pending).CopyTo(_buffer);
            Start = 0;
            End = pending;
        }

        if (End == _buffer.Length)
        {
            Array.Resize(ref _buffer, (int)Math.Min(_buffer.Length * 2L, maxRecordBytes + 2L));
        }

        var read = stream.Read(_buffer, End, _buffer.Length - End);
        if (read == 0)
        {
            _eof = true;
            return false;
        }

        End += read;
        BytesRead += read;
        return true;
    }
}
