namespace OrleansMl.Data.Formats.JsonLines;

/// <summary>
/// Splits a UTF-8 stream into lines. Reads the stream in large blocks and finds each '\n' with a
/// vectorized span search; a line is a span into the block (no copy) that is valid until the next
/// call. A line longer than the block moves to the front of a grown block. LF and CRLF both end a
/// line, a final line needs no line break, and a UTF-8 byte order mark at the start is skipped.
/// </summary>
internal sealed class JsonLineSplitter : IJsonRecordSplitter
{
    /// <summary>The largest line limit supported (a line plus its CRLF must fit one array).</summary>
    public const int MaxSupportedLineBytes = 0x7FFF_FFC7 - 2;

    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';

    private readonly Stream _stream;
    private readonly string _source;
    private readonly int _maxLineBytes;
    private byte[] _buffer;
    private int _pos;
    private int _end;
    private bool _eof;
    private long _nextLine = 1;

    public JsonLineSplitter(Stream stream, string source, int maxLineBytes, int bufferBytes = 1 << 20)
    {
        _stream = stream;
        _source = source;
        _maxLineBytes = maxLineBytes;
        _buffer = new byte[bufferBytes];
        SkipByteOrderMark();
    }

    /// <summary>Bytes consumed from the stream.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The 1-based number of the line last returned.</summary>
    public long Line { get; private set; }

    /// <summary>The next line without its line break, or false at the end of the stream.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        var searched = 0;
        while (true)
        {
            var index = _buffer.AsSpan(_pos + searched, _end - _pos - searched).IndexOf(Lf);
            if (index >= 0)
            {
                line = Take(_pos + searched + index, 1);
                return true;
            }

            searched = _end - _pos;
            if (searched > _maxLineBytes + 1)
            {
                throw TooLong(_nextLine);
            }

            if (!Fill())
            {
                if (_pos == _end)
                {
                    line = default;
                    return false;
                }

                line = Take(_end, 0);
                return true;
            }
        }
    }

    private ReadOnlySpan<byte> Take(int lineEnd, int breakBytes)
    {
        var line = _buffer.AsSpan(_pos, lineEnd - _pos);
        if (line.Length > 0 && line[^1] == Cr)
        {
            line = line[..^1];
        }

        Line = _nextLine++;
        _pos = lineEnd + breakBytes;
        return line.Length > _maxLineBytes ? throw TooLong(Line) : line;
    }

    /// <summary>Moves the unread bytes to the front (growing the block when they fill it) and reads more.</summary>
    private bool Fill()
    {
        if (_eof)
        {
            return false;
        }

        var pending = _end - _pos;
        if (_pos > 0)
        {
            _buffer.AsSpan(_pos, pending).CopyTo(_buffer);
            _pos = 0;
            _end = pending;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, (int)Math.Min(_buffer.Length * 2L, _maxLineBytes + 2L));
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
            return false;
        }

        _end += read;
        BytesRead += read;
        return true;
    }

    private void SkipByteOrderMark()
    {
        while (_end < 3 && Fill())
        {
        }

        if (_end >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
        {
            _pos = 3;
        }
    }

    private DataFormatException TooLong(long line) =>
        new(_source, $"the line is longer than the limit of {_maxLineBytes:N0} bytes (JsonLinesOptions.MaxLineBytes)", line);
}
