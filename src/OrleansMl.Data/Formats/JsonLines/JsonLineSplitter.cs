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

    private readonly string _source;
    private readonly int _maxLineBytes;
    private readonly StreamWindow _window;
    private long _nextLine = 1;

    public JsonLineSplitter(Stream stream, string source, int maxLineBytes, int bufferBytes = 1 << 20)
    {
        _source = source;
        _maxLineBytes = maxLineBytes;
        _window = new StreamWindow(stream, maxLineBytes, bufferBytes);
        SkipByteOrderMark();
    }

    /// <summary>Bytes consumed from the stream.</summary>
    public long BytesRead => _window.BytesRead;

    /// <summary>The 1-based number of the line last returned.</summary>
    public long Line { get; private set; }

    /// <summary>The next line without its line break, or false at the end of the stream.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        var searched = 0;
        while (true)
        {
            var index = _window.Slice(_window.Start + searched, _window.End - _window.Start - searched).IndexOf(Lf);
            if (index >= 0)
            {
                line = Take(_window.Start + searched + index, 1);
                return true;
            }

            searched = _window.End - _window.Start;
            if (searched > _maxLineBytes + 1)
            {
                throw TooLong(_nextLine);
            }

            if (!_window.Fill())
            {
                if (_window.Start == _window.End)
                {
                    line = default;
                    return false;
                }

                line = Take(_window.End, 0);
                return true;
            }
        }
    }

    private ReadOnlySpan<byte> Take(int lineEnd, int breakBytes)
    {
        var line = _window.Slice(_window.Start, lineEnd - _window.Start);
        if (line.Length > 0 && line[^1] == Cr)
        {
            line = line[..^1];
        }

        Line = _nextLine++;
        _window.Start = lineEnd + breakBytes;
        return line.Length > _maxLineBytes ? throw TooLong(Line) : line;
    }


    private void SkipByteOrderMark()
    {
        while (_window.End < 3 && _window.Fill())
        {
        }

        if (_window.End >= 3 && _window[0] == 0xEF && _window[1] == 0xBB && _window[2] == 0xBF)
        {
            _window.Start = 3;
        }
    }

    private DataFormatException TooLong(long line) =>
        new(_source, $"the line is longer than the limit of {_maxLineBytes:N0} bytes (JsonLinesOptions.MaxLineBytes)", line);
}
