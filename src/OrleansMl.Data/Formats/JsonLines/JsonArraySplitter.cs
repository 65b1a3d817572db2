using System.Buffers;

namespace OrleansMl.Data.Formats.JsonLines;

/// <summary>
/// Cuts a stream holding one JSON array (<c>[{...}, {...}]</c>, the most common JSON data file) into
/// its elements without parsing the document whole: it tracks only strings, escapes and nesting depth,
/// jumping between the bytes that matter with a vectorized search, so memory holds one element at a
/// time however large the file. Each element is returned as a record for the JSON lines parser, which
/// reports errors at the line where the element starts.
/// </summary>
internal sealed class JsonArraySplitter : IJsonRecordSplitter
{
    private static readonly SearchValues<byte> Structure = SearchValues.Create("\"{}[],\n"u8);
    private static readonly SearchValues<byte> InString = SearchValues.Create("\"\\\n"u8);

    private readonly Stream _stream;
    private readonly string _source;
    private readonly int _maxRecordBytes;
    private byte[] _buffer;
    private int _pos;
    private int _end;
    private bool _eof;
    private long _line = 1;
    private int _elements;
    private bool _closed;

    public JsonArraySplitter(Stream stream, string source, int maxRecordBytes, int bufferBytes = 1 << 20)
    {
        _stream = stream;
        _source = source;
        _maxRecordBytes = maxRecordBytes;
        _buffer = new byte[bufferBytes];
        SkipWhitespace();
        if (_end - _pos >= 3 && _buffer[_pos] == 0xEF && _buffer[_pos + 1] == 0xBB && _buffer[_pos + 2] == 0xBF)
        {
            _pos += 3;
            SkipWhitespace();
        }

        if (_pos == _end || _buffer[_pos] != (byte)'[')
        {
            throw new DataFormatException(_source, "a JSON data file must hold one array of objects ([{...}, {...}]) or one object per line", _line);
        }

        _pos++;
    }

    public long BytesRead { get; private set; }

    public long Line { get; private set; }

    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        line = default;
        if (_closed)
        {
            return false;
        }

        SkipWhitespace();
        if (_elements > 0)
        {
            if (Next() == (byte)',')
            {
                _pos++;
                SkipWhitespace();
            }
            else if (Next() != (byte)']')
            {
                throw Error($"expected ',' or ']' after element {_elements:N0} of the array", _line);
            }
        }

        if (Next() == (byte)']')
        {
            _pos++;
            _closed = true;
            SkipWhitespace();
            return _pos == _end ? false : throw Error("the file goes on after the array's closing ']'", _line);
        }

        if (_pos == _end)
        {
            throw Error($"the array is not closed: the file ends after {_elements:N0} element(s)", _line);
        }

        Line = _line;
        var length = ScanElement();
        line = _buffer.AsSpan(_pos, length).TrimEnd(" \t\r\n"u8);
        _pos += length;
        _elements++;
        return true;
    }

    /// <summary>The length of the element starting at <c>_pos</c>: up to the ',' or ']' at its own level. Reads more as needed.</summary>
    private int ScanElement()
    {
        var offset = 0;
        var depth = 0;
        var inString = false;
        var complete = false; // the element's value has closed: only ',' or ']' may follow
        while (true)
        {
            var rest = _buffer.AsSpan(_pos + offset, _end - _pos - offset);
            var found = rest.IndexOfAny(inString ? InString : Structure);
            if (found < 0 || (inString && rest[found] == (byte)'\\' && found + 1 >= rest.Length))
            {
                // The element goes on past the bytes read: read more (an escape needs its next byte too).
                offset = found < 0 ? _end - _pos : offset + found;
                if (offset > _maxRecordBytes)
                {
                    throw Error($"element {_elements + 1:N0} of the array is longer than the limit of {_maxRecordBytes:N0} bytes (JsonLinesOptions.MaxLineBytes)", Line);
                }

                if (!Fill())
                {
                    throw complete
                        ? Error($"the array is not closed: the file ends after {_elements + 1:N0} element(s)", _line)
                        : Error($"the array is not closed: the file ends inside element {_elements + 1:N0}", Line);
                }

                continue;
            }

            offset += found;
            var b = rest[found];
            offset++;
            if (complete && b is (byte)'"' or (byte)'{' or (byte)'[')
            {
                throw Error($"expected ',' or ']' after element {_elements + 1:N0} of the array", _line);
            }

            switch (b)
            {
                case (byte)'\n':
                    _line++;
                    break;
                case (byte)'\\':
                    offset++; // the escaped byte is never a quote that ends the string
                    break;
                case (byte)'"':
                    inString = !inString;
                    break;
                case (byte)'{' or (byte)'[':
                    depth++;
                    break;
                case (byte)'}' or (byte)']' when depth > 0:
                    complete = --depth == 0;
                    break;
                case (byte)']' or (byte)',' when depth == 0:
                    return offset - 1;
                case (byte)'}':
                    throw Error($"element {_elements + 1:N0} of the array closes a '}}' it never opened", _line);
            }
        }
    }

    private int Next() => _pos < _end || Fill() ? _buffer[_pos] : -1;

    private void SkipWhitespace()
    {
        while (true)
        {
            var rest = _buffer.AsSpan(_pos, _end - _pos);
            var skip = rest.IndexOfAnyExcept(" \t\r\n"u8);
            var skipped = skip < 0 ? rest : rest[..skip];
            _line += skipped.Count((byte)'\n');
            _pos += skipped.Length;
            if (skip >= 0 || !Fill())
            {
                return;
            }
        }
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
            Array.Resize(ref _buffer, (int)Math.Min(_buffer.Length * 2L, _maxRecordBytes + 2L));
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

    private DataFormatException Error(string problem, long line) => new(_source, problem, line);
}
