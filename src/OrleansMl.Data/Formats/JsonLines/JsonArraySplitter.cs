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

    private readonly string _source;
    private readonly int _maxRecordBytes;
    private readonly StreamWindow _window;
    private long _line = 1;
    private int _elements;
    private bool _closed;

    public JsonArraySplitter(Stream stream, string source, int maxRecordBytes, int bufferBytes = 1 << 20)
    {
        _source = source;
        _maxRecordBytes = maxRecordBytes;
        _window = new StreamWindow(stream, maxRecordBytes, bufferBytes);
        SkipWhitespace();
        if (_window.End - _window.Start >= 3 && _window[_window.Start] == 0xEF && _window[_window.Start + 1] == 0xBB && _window[_window.Start + 2] == 0xBF)
        {
            _window.Start += 3;
            SkipWhitespace();
        }

        if (_window.Start == _window.End || _window[_window.Start] != (byte)'[')
        {
            throw new DataFormatException(_source, "a JSON data file must hold one array of objects ([{...}, {...}]) or one object per line", _line);
        }

        _window.Start++;
    }

    public long BytesRead => _window.BytesRead;

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
                _window.Start++;
                SkipWhitespace();
            }
            else if (Next() != (byte)']')
            {
                throw Error($"expected ',' or ']' after element {_elements:N0} of the array", _line);
            }
        }

        if (Next() == (byte)']')
        {
            _window.Start++;
            _closed = true;
            SkipWhitespace();
            return _window.Start == _window.End ? false : throw Error("the file goes on after the array's closing ']'", _line);
        }

        if (_window.Start == _window.End)
        {
            throw Error($"the array is not closed: the file ends after {_elements:N0} element(s)", _line);
        }

        Line = _line;
        var length = ScanElement();
        line = _window.Slice(_window.Start, length).TrimEnd(" \t\r\n"u8);
        _window.Start += length;
        _elements++;
        return true;
    }

    /// <summary>The length of the element starting at <c>_window.Start</c>: up to the ',' or ']' at its own level. Reads more as needed.</summary>
    private int ScanElement()
    {
        var offset = 0;
        var depth = 0;
        var inString = false;
        var complete = false; // the element's value has closed: only ',' or ']' may follow
        while (true)
        {
            var rest = _window.Slice(_window.Start + offset, _window.End - _window.Start - offset);
            var found = rest.IndexOfAny(inString ? InString : Structure);
            if (found < 0 || (inString && rest[found] == (byte)'\\' && found + 1 >= rest.Length))
            {
                // The element goes on past the bytes read: read more (an escape needs its next byte too).
                offset = found < 0 ? _window.End - _window.Start : offset + found;
                if (offset > _maxRecordBytes)
                {
                    throw Error($"element {_elements + 1:N0} of the array is longer than the limit of {_maxRecordBytes:N0} bytes (JsonLinesOptions.MaxLineBytes)", Line);
                }

                if (!_window.Fill())
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

    private int Next() => _window.Start < _window.End || _window.Fill() ? _window[_window.Start] : -1;

    private void SkipWhitespace()
    {
        while (true)
        {
            var rest = _window.Slice(_window.Start, _window.End - _window.Start);
            var skip = rest.IndexOfAnyExcept(" \t\r\n"u8);
            var skipped = skip < 0 ? rest : rest[..skip];
            _line += skipped.Count((byte)'\n');
            _window.Start += skipped.Length;
            if (skip >= 0 || !_window.Fill())
            {
                return;
            }
        }
    }


    private DataFormatException Error(string problem, long line) => new(_source, problem, line);
}
