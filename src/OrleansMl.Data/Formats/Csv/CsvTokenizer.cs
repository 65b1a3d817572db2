using System.Buffers;

namespace OrleansMl.Data.Formats.Csv;

/// <summary>
/// RFC 4180 record splitter over UTF-8 bytes. Keeps the current record contiguous in one buffer
/// (growing it for long fields), so fields are spans into the buffer with no copy. Quoted fields
/// with doubled quotes are unescaped on demand. CRLF, LF and a final line without a newline all end
/// a record; empty lines are skipped.
/// </summary>
internal sealed class CsvTokenizer
{
    private const byte Quote = (byte)'"';
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';

    private readonly Stream _stream;
    private readonly string _source;
    private readonly int _maxRecordBytes;
    private readonly List<FieldSpan> _fields = [];
    private byte[] _buffer;
    private byte[] _scratch = [];
    private int _pos;
    private int _end;
    private bool _eof;
    private long _line = 1;

    public CsvTokenizer(Stream stream, string source, int maxRecordBytes, int bufferBytes = 1 << 20)
    {
        _stream = stream;
        _source = source;
        _maxRecordBytes = maxRecordBytes;
        _buffer = new byte[bufferBytes];
    }

    public byte Delimiter { get; set; } = (byte)',';

    /// <summary>Bytes consumed from the stream.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The 1-based line on which the current record starts.</summary>
    public long RecordLine { get; private set; }

    public int FieldCount => _fields.Count;

    public bool IsQuoted(int field) => _fields[field].Quoted;

    /// <summary>The unescaped bytes of a field of the current record; valid until the next call.</summary>
    public ReadOnlySpan<byte> Field(int index)
    {
        var field = _fields[index];
        var raw = _buffer.AsSpan(field.Start, field.Length);
        if (!field.HasEscapes)
        {
            return raw;
        }

        if (_scratch.Length < raw.Length)
        {
            _scratch = new byte[Math.Max(raw.Length, 256)];
        }

        var written = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            _scratch[written++] = raw[i];
            if (raw[i] == Quote)
            {
                i++; // skip the second quote of ""
            }
        }

        return _scratch.AsSpan(0, written);
    }

    /// <summary>Skips a UTF-8 byte order mark at the start of the stream.</summary>
    public void SkipByteOrderMark()
    {
        EnsureAvailable(3);
        if (_end - _pos >= 3 && _buffer[_pos] == 0xEF && _buffer[_pos + 1] == 0xBB && _buffer[_pos + 2] == 0xBF)
        {
            _pos += 3;
        }
    }

    /// <summary>The buffered start of the stream, for delimiter detection.</summary>
    public ReadOnlySpan<byte> Peek(int bytes)
    {
        EnsureAvailable(bytes);
        return _buffer.AsSpan(_pos, Math.Min(bytes, _end - _pos));
    }

    /// <summary>Reads the next record; false at the end of the stream.</summary>
    public bool ReadRecord()
    {
        _fields.Clear();
        while (true)
        {
            if (_pos == _end && !Fill(0))
            {
                return false;
            }

            // Skip empty lines.
            var b = _buffer[_pos];
            if (b == Lf)
            {
                _pos++;
                _line++;
                continue;
            }

            if (b == Cr)
            {
                _pos++;
                if (_pos < _end || Fill(0))
                {
                    if (_buffer[_pos] == Lf)
                    {
                        _pos++;
                    }
                }

                _line++;
                continue;
            }

            break;
        }

        RecordLine = _line;
        var recordStart = _pos;
        while (true)
        {
            if (_buffer[_pos] == Quote)
            {
                ReadQuotedField(ref recordStart);
            }
            else
            {
                ReadUnquotedField(ref recordStart);
            }

            if (_pos == _end && !Fill(recordStart, ref recordStart))
            {
                return true; // end of stream ends the record
            }

            var b = _buffer[_pos];
            if (b == Delimiter)
            {
                _pos++;
                if (_pos == _end && !Fill(recordStart, ref recordStart))
                {
                    _fields.Add(new FieldSpan(_pos, 0, false, false)); // trailing delimiter: one more empty field
                    return true;
                }

                continue;
            }

            _pos++;
            _line++;
            if (b == Cr && (_pos < _end || Fill(recordStart, ref recordStart)) && _buffer[_pos] == Lf)
            {
                _pos++;
            }

            return true;
        }
    }

    private void ReadUnquotedField(ref int recordStart)
    {
        var start = _pos;
        while (true)
        {
            var index = _buffer.AsSpan(_pos, _end - _pos).IndexOfAny(Delimiter, Cr, Lf);
            if (index >= 0)
            {
                _pos += index;
                break;
            }

            _pos = _end;
            var offset = _pos - start;
            var more = Fill(recordStart, ref recordStart);
            start = _pos - offset; // Fill may have moved the record even when the stream had ended
            if (!more)
            {
                break;
            }
        }

        _fields.Add(new FieldSpan(start, _pos - start, false, false));
    }

    private void ReadQuotedField(ref int recordStart)
    {
        var fieldLine = _line;
        var column = _fields.Count + 1;
        _pos++; // opening quote
        var start = _pos;
        var escapes = false;
        while (true)
        {
            var span = _buffer.AsSpan(_pos, _end - _pos);
            var index = span.IndexOf(Quote);
            var scanned = index >= 0 ? span[..index] : span;
            _line += scanned.Count(Lf);
            if (index < 0)
            {
                _pos = _end;
                var offset = _pos - start;
                if (!Fill(recordStart, ref recordStart))
                {
                    throw new DataFormatException(_source, "a quoted field is not closed before the end of the file", fieldLine, column);
                }

                start = _pos - offset;
                continue;
            }

            _pos += index + 1;
            if (_pos == _end)
            {
                var offset = _pos - start;
                Fill(recordStart, ref recordStart);
                start = _pos - offset; // moved with the record, whether or not more bytes came
            }

            if (_pos < _end && _buffer[_pos] == Quote)
            {
                escapes = true;
                _pos++;
                continue;
            }

            break;
        }

        _fields.Add(new FieldSpan(start, _pos - 1 - start, true, escapes));
        if (_pos < _end && _buffer[_pos] != Delimiter && _buffer[_pos] != Cr && _buffer[_pos] != Lf)
        {
            throw new DataFormatException(_source, $"unexpected character '{(char)_buffer[_pos]}' after a closing quote; a quote inside a quoted field must be doubled (\"\")", _line, column);
        }
    }

    private bool Fill(int keepFrom) => Fill(keepFrom, ref keepFrom);

    /// <summary>
    /// Reads more bytes, first moving the current record (from <paramref name="recordStart"/>) to the
    /// front of the buffer, or growing the buffer when the record fills it. Adjusts field offsets.
    /// </summary>
    private bool Fill(int keep, ref int recordStart)
    {
        if (_eof)
        {
            return false;
        }

        var shift = Math.Min(keep, _pos);
        if (shift > 0)
        {
            _buffer.AsSpan(shift, _end - shift).CopyTo(_buffer);
            _end -= shift;
            _pos -= shift;
            recordStart -= shift;
            for (var i = 0; i < _fields.Count; i++)
            {
                _fields[i] = _fields[i] with { Start = _fields[i].Start - shift };
            }
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= _maxRecordBytes)
            {
                throw new DataFormatException(_source, $"a record is longer than the limit of {_maxRecordBytes:N0} bytes (CsvOptions.MaxRecordBytes)", RecordLine);
            }

            Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, _maxRecordBytes));
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

    private void EnsureAvailable(int bytes)
    {
        while (_end - _pos < bytes && !_eof)
        {
            Fill(_pos);
        }
    }

    private readonly record struct FieldSpan(int Start, int Length, bool Quoted, bool HasEscapes);
}
