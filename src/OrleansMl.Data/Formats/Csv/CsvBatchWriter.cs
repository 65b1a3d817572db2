using System.Buffers;
using System.Globalization;
using System.Text;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Formats.Csv;

/// <summary>
/// Writes batches as RFC 4180 CSV in UTF-8: a header of column names, then one line a row. Numbers in
/// invariant culture (float64 round-trip), booleans true/false, timestamps ISO 8601 UTC, vectors as
/// "[1,2,3]", nulls as empty fields; a field with a comma, quote, CR, LF or edge space is quoted.
/// Values are formatted straight into a pooled buffer that goes to the stream every 64 KiB.
/// </summary>
public sealed class CsvBatchWriter(Stream output) : IAsyncDisposable
{
    private const int FlushAt = 64 * 1024;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushAt + 4096);
    private bool _header;

    public async Task WriteAsync(ColumnBatch batch, CancellationToken cancellationToken = default)
    {
        if (!_header)
        {
            for (var c = 0; c < batch.Columns.Count; c++)
            {
                Separator(c);
                Text(batch.Columns[c].Name);
            }

            Byte((byte)'\n');
            _header = true;
        }

        for (var row = 0; row < batch.RowCount; row++)
        {
            for (var c = 0; c < batch.Columns.Count; c++)
            {
                Separator(c);
                Value(batch.Columns[c], row);
            }

            Byte((byte)'\n');
            if (_buffer.WrittenCount >= FlushAt)
            {
                await FlushAsync(cancellationToken);
            }
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await output.WriteAsync(_buffer.WrittenMemory, cancellationToken);
        _buffer.ResetWrittenCount();
    }

    public async ValueTask DisposeAsync() => await FlushAsync();

    private void Separator(int column)
    {
        if (column > 0)
        {
            Byte((byte)',');
        }
    }

    private void Value(Column column, int row)
    {
        if (column.IsNull(row))
        {
            return;
        }

        switch (column)
        {
            case Int64Column times when column.Type == ColumnType.Timestamp:
                Format(DateTime.UnixEpoch.AddTicks(times.Values[row] * TimeSpan.TicksPerMicrosecond), "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'");
                break;
            case Int64Column longs:
                Format(longs.Values[row], default);
                break;
            case Float64Column doubles:
                Format(doubles.Values[row], "R");
                break;
            case BooleanColumn booleans:
                _buffer.Write(booleans.Values[row] ? "true"u8 : "false"u8);
                break;
            case StringColumn strings:
                Text(strings.Values[row]!);
                break;
            case VectorColumn vectors:
                Byte((byte)'"');
                Byte((byte)'[');
                var values = vectors.Row(row);
                for (var i = 0; i < values.Length; i++)
                {
                    if (i > 0)
                    {
                        Byte((byte)',');
                    }

                    Format(values[i], "R");
                }

                Byte((byte)']');
                Byte((byte)'"');
                break;
        }
    }

    private void Format<T>(T value, ReadOnlySpan<char> format)
        where T : IUtf8SpanFormattable
    {
        var span = _buffer.GetSpan(64);
        if (!value.TryFormat(span, out var written, format, CultureInfo.InvariantCulture))
        {
            span = _buffer.GetSpan(1024);
            value.TryFormat(span, out written, format, CultureInfo.InvariantCulture);
        }

        _buffer.Advance(written);
    }

    private void Text(string text)
    {
        var quote = text.Length > 0 && (text[0] == ' ' || text[^1] == ' ' || text.AsSpan().IndexOfAny(",\"\r\n") >= 0);
        if (!quote)
        {
            var span = _buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
            _buffer.Advance(Encoding.UTF8.GetBytes(text, span));
            return;
        }

        // Quoted, each quote inside doubled.
        Byte((byte)'"');
        var rest = text.AsSpan();
        while (true)
        {
            var next = rest.IndexOf('"');
            var part = next < 0 ? rest : rest[..(next + 1)];
            var span = _buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(part.Length));
            _buffer.Advance(Encoding.UTF8.GetBytes(part, span));
            if (next < 0)
            {
                break;
            }

            Byte((byte)'"');
            rest = rest[(next + 1)..];
        }

        Byte((byte)'"');
    }

    private void Byte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }
}
