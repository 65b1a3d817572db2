using System.Text;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Formats.JsonLines;

/// <summary>
/// Reads JSON lines (one JSON object per line, UTF-8), or a JSON file holding one array of objects
/// (told apart by the first byte that is not white space: '['), as column batches. The constructor samples
/// lines to infer the schema: the top-level keys in order of first appearance, numbers as Int64 or
/// Float64, true/false as Boolean, strings as String, Categorical or (ISO 8601) Timestamp, and
/// arrays of numbers as Vector columns. Batches then parse each line with
/// <see cref="System.Text.Json.Utf8JsonReader"/> straight into typed builders. A key missing from a
/// line, or null, is a null. A malformed line fails with file, line and column (the 1-based byte
/// offset in the line), or, under <see cref="BadRecordPolicy.Skip"/>, goes to the bad-record sink.
/// </summary>
public sealed partial class JsonLinesDatasetReader : IDatasetReader
{
    private readonly IJsonRecordSplitter _lines;
    private readonly string _source;
    private readonly JsonLinesOptions _options;
    private readonly Action<BadRecord>? _onBadRecord;
    private readonly Queue<SampleLine> _sample = new();
    private readonly Stream _stream;
    private readonly KeyColumn[] _columns;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly long[] _seenAt;
    private readonly long _sampledLines;

    public JsonLinesDatasetReader(Stream stream, string source, JsonLinesOptions? options = null, Action<BadRecord>? onBadRecord = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _options = options ?? new JsonLinesOptions();
        _options.Validate();
        _stream = stream;
        _source = source;
        _onBadRecord = onBadRecord;
        var peeked = new Streams.PeekingStream(stream, 4096);
        var first = peeked.Prefix.StartsWith("\uFEFF"u8) ? peeked.Prefix[3..] : peeked.Prefix;
        var start = first.IndexOfAnyExcept(" \t\r\n"u8);
        _lines = start >= 0 && first[start] == (byte)'['
            ? new JsonArraySplitter(peeked, source, _options.MaxLineBytes)
            : new JsonLineSplitter(peeked, source, _options.MaxLineBytes);
        while (_sample.Count < _options.InferenceRows && _lines.TryReadLine(out var line))
        {
            if (!IsBlank(line))
            {
                _sample.Enqueue(new SampleLine(_lines.Line, line.ToArray()));
            }
        }

        if (_sample.Count == 0)
        {
            throw new DataFormatException(source, "the file is empty; there are no JSON records to import");
        }

        _sampledLines = _lines.Line;
        Schema = InferSchema();
        _columns = [.. Schema.Columns.Select(column => new KeyColumn(column))];
        _lookup = Schema.Columns.Select((column, index) => (column.Name, index))
            .ToDictionary(p => p.Name, p => p.index, StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();
        _seenAt = new long[Schema.Count];
    }

    public DatasetSchema Schema { get; }

    public long BytesRead => _lines.BytesRead;

    public long RowsRead { get; private set; }

    /// <summary>Lines left out under <see cref="BadRecordPolicy.Skip"/>.</summary>
    public long BadRecordCount { get; private set; }

    public ColumnBatch? ReadBatch(int maxRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        var builders = new RowBatchBuilder(Schema, Math.Min(maxRows, 65_536));
        while (builders.Rows < maxRows)
        {
            bool appended;
            if (_sample.TryDequeue(out var sample))
            {
                appended = AppendLine(builders, sample.Bytes, sample.Line);
            }
            else if (_lines.TryReadLine(out var line))
            {
                if (IsBlank(line))
                {
                    continue;
                }

                appended = AppendLine(builders, line, _lines.Line);
            }
            else
            {
                break;
            }

            if (appended)
            {
                builders.Commit();
            }
        }

        RowsRead += builders.Rows;
        return builders.Build();
    }

    public void Dispose() => _stream.Dispose();

    private DatasetSchema InferSchema()
    {
        var inference = new JsonLinesSchemaInference(_source, _options.CategoricalMaxDistinct);
        foreach (var sample in _sample)
        {
            // Under the skip policy a bad sample line is left out here and rejected again when its batch is read.
            if (!inference.TryObserve(sample.Bytes, out var column, out var problem) && _options.BadRecords == BadRecordPolicy.Fail)
            {
                throw new DataFormatException(_source, problem, sample.Line, column);
            }
        }

        var schema = inference.Build(_options.ColumnTypes);
        return schema.Count > 0
            ? schema
            : throw new DataFormatException(_source, $"the first {_sampledLines:N0} lines hold no keys; there are no columns to import");
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept((byte)' ', (byte)'\t', (byte)'\r') < 0;

    private bool Reject(RowBatchBuilder builders, ReadOnlySpan<byte> line, long lineNumber, int column, string problem)
    {
        if (_options.BadRecords == BadRecordPolicy.Fail)
        {
            throw new DataFormatException(_source, problem, lineNumber, column);
        }

        builders.Rollback();
        BadRecordCount++;
        _onBadRecord?.Invoke(new BadRecord(lineNumber, column, problem, Encoding.UTF8.GetString(line)));
        return false;
    }

    private sealed record SampleLine(long Line, byte[] Bytes);
}
