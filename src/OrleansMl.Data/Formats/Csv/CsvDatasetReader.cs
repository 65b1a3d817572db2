using System.Globalization;
using System.Text;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Formats.Csv;

/// <summary>
/// Reads CSV / TSV (RFC 4180) as column batches. The constructor reads the header and a sample of
/// records to infer the schema (or applies the caller's types); batches then parse fields straight
/// from UTF-8 bytes into typed builders. A malformed record fails with file, line and column, or,
/// under <see cref="BadRecordPolicy.Skip"/>, goes to the bad-record sink.
/// </summary>
public sealed class CsvDatasetReader : IDatasetReader
{
    private readonly CsvTokenizer _tokenizer;
    private readonly string _source;
    private readonly CsvOptions _options;
    private readonly Action<BadRecord>? _onBadRecord;
    private readonly byte[][] _nullValues;
    private readonly Queue<SampleRecord> _sample = new();
    private readonly Stream _stream;

    public CsvDatasetReader(Stream stream, string source, CsvOptions? options = null, Action<BadRecord>? onBadRecord = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _source = source;
        _options = options ?? new CsvOptions();
        _onBadRecord = onBadRecord;
        _nullValues = [.. _options.NullValues.Select(Encoding.UTF8.GetBytes)];
        _tokenizer = new CsvTokenizer(stream, source, _options.MaxRecordBytes);
        _tokenizer.SkipByteOrderMark();
        _tokenizer.Delimiter = _options.Delimiter is { } delimiter
            ? checked((byte)delimiter)
            : CsvDelimiterDetector.Detect(_tokenizer.Peek(64 * 1024));

        string[]? names = null;
        if (_options.HasHeader)
        {
            if (!_tokenizer.ReadRecord())
            {
                throw new DataFormatException(source, "the file is empty; expected a header line with column names");
            }

            names = ReadHeader();
        }

        while (_sample.Count < _options.InferenceRows && _tokenizer.ReadRecord())
        {
            _sample.Enqueue(SampleRecord.Copy(_tokenizer));
        }

        if (_sample.Count == 0)
        {
            throw new DataFormatException(source, names is null
                ? "the file is empty; there are no records to import"
                : "the file has a header line but no data rows; there is nothing to import");
        }

        names ??= [.. Enumerable.Range(1, _sample.Peek().Fields.Length).Select(i => $"column_{i}")];
        Schema = InferSchema(names);
        Delimiter = (char)_tokenizer.Delimiter;
    }

    public DatasetSchema Schema { get; }

    /// <summary>The delimiter in use (given or detected).</summary>
    public char Delimiter { get; }

    public long BytesRead => _tokenizer.BytesRead;

    public long RowsRead { get; private set; }

    /// <summary>Records left out under <see cref="BadRecordPolicy.Skip"/>.</summary>
    public long BadRecordCount { get; private set; }

    public ColumnBatch? ReadBatch(int maxRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        var batch = new RowBatchBuilder(Schema, Math.Min(maxRows, 65_536));
        while (batch.Rows < maxRows)
        {
            bool appended;
            if (_sample.TryDequeue(out var sample))
            {
                appended = AppendRecord(batch, sample);
            }
            else if (_tokenizer.ReadRecord())
            {
                appended = AppendRecord(batch, new TokenizerRecord(_tokenizer));
            }
            else
            {
                break;
            }

            if (appended)
            {
                batch.Commit();
            }
        }

        RowsRead += batch.Rows;
        return batch.Build();
    }

    public void Dispose() => _stream.Dispose();

    private string[] ReadHeader()
    {
        var names = new string[_tokenizer.FieldCount];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var nextSuffix = new Dictionary<string, int>(StringComparer.Ordinal); // where each repeated name's search resumes: linear, not quadratic, in repeats
        for (var i = 0; i < names.Length; i++)
        {
            var raw = _tokenizer.Field(i);
            var name = Utf8Values.TryDecode(raw)?.Trim()
                ?? throw new DataFormatException(_source, $"the header is not valid UTF-8 (at byte {Utf8Values.InvalidUtf8Offset(raw)} of the name)", _tokenizer.RecordLine, i + 1);
            if (name.Length == 0)
            {
                name = $"column_{i + 1}";
            }

            var unique = name;
            if (!seen.Add(unique))
            {
                var n = nextSuffix.GetValueOrDefault(name, 2);
                do
                {
                    unique = string.Create(CultureInfo.InvariantCulture, $"{name}_{n++}");
                }
                while (!seen.Add(unique));
                nextSuffix[name] = n;
            }

            names[i] = unique;
        }

        return names;
    }

    private DatasetSchema InferSchema(string[] names)
    {
        var overrides = _options.ColumnTypes ?? new Dictionary<string, ColumnType>();
        foreach (var name in overrides.Keys)
        {
            if (Array.IndexOf(names, name) < 0)
            {
                throw new SchemaException($"{_source}: a column type is given for '{name}', but the file has no such column. Columns: {string.Join(", ", names)}.");
            }
        }

        var columns = new ColumnSchema[names.Length];
        for (var c = 0; c < names.Length; c++)
        {
            if (overrides.TryGetValue(names[c], out var type))
            {
                columns[c] = type == ColumnType.Vector
                    ? throw new SchemaException($"{_source}: column '{names[c]}' cannot be read as a vector from CSV; use the assemble transform.")
                    : new ColumnSchema(names[c], type);
                continue;
            }

            var inference = new ColumnTypeInference(_options.CategoricalMaxDistinct);
            foreach (var record in _sample)
            {
                if (record.Fields.Length == names.Length && !IsNull(record.Fields[c], record.Quoted[c]))
                {
                    inference.Observe(record.Fields[c]);
                }
            }

            columns[c] = new ColumnSchema(names[c], inference.Infer());
        }

        return new DatasetSchema(columns);
    }

    private bool AppendRecord<TRecord>(RowBatchBuilder builders, TRecord record)
        where TRecord : ICsvRecord, allows ref struct
    {
        if (record.FieldCount != builders.Length)
        {
            var column = Math.Min(record.FieldCount, builders.Length) + 1;
            return Reject(builders, record, column, $"expected {builders.Length} fields, found {record.FieldCount}");
        }

        for (var c = 0; c < builders.Length; c++)
        {
            var text = record.Field(c);
            if (IsNull(text, record.IsQuoted(c)))
            {
                builders[c].AppendNull();
                continue;
            }

            if (!TryAppend(builders[c], text))
            {
                var invalid = Utf8Values.InvalidUtf8Offset(text);
                var problem = invalid >= 0
                    ? $"column '{Schema[c].Name}' is not valid UTF-8 (at byte {invalid} of the field)"
                    : $"column '{Schema[c].Name}': expected {Schema[c].Type.ToString().ToLowerInvariant()}, found '{Utf8Values.Excerpt(text)}'" +
                      " (set this column's type, or import with the skip policy)";
                return Reject(builders, record, c + 1, problem);
            }
        }

        return true;
    }

    private bool Reject<TRecord>(RowBatchBuilder builders, TRecord record, int column, string problem)
        where TRecord : ICsvRecord, allows ref struct
    {
        if (_options.BadRecords == BadRecordPolicy.Fail)
        {
            throw new DataFormatException(_source, problem, record.Line, column);
        }

        builders.Rollback();
        BadRecordCount++;
        _onBadRecord?.Invoke(new BadRecord(record.Line, column, problem, ToCsvText(record)));
        return false;
    }

    private string ToCsvText<TRecord>(TRecord record)
        where TRecord : ICsvRecord, allows ref struct
    {
        var text = new StringBuilder();
        for (var i = 0; i < record.FieldCount; i++)
        {
            if (i > 0)
            {
                text.Append(Delimiter);
            }

            var value = Encoding.UTF8.GetString(record.Field(i));
            text.Append(record.IsQuoted(i) || value.AsSpan().IndexOfAny(['"', '\n', '\r', Delimiter]) >= 0
                ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
                : value);
        }

        return text.ToString();
    }

    private bool IsNull(ReadOnlySpan<byte> text, bool quoted)
    {
        if (quoted)
        {
            return false;
        }

        foreach (var value in _nullValues)
        {
            if (text.SequenceEqual(value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryAppend(ColumnBuilder builder, ReadOnlySpan<byte> text)
    {
        switch (builder)
        {
            case Float64ColumnBuilder f when Utf8Values.TryParseFloat64(text, out var d):
                f.Append(d);
                return true;
            case Int64ColumnBuilder i when builder.Schema.Type == ColumnType.Int64 && Utf8Values.TryParseInt64(text, out var l):
                i.Append(l);
                return true;
            case Int64ColumnBuilder t when builder.Schema.Type == ColumnType.Timestamp && Utf8Values.TryParseTimestamp(text, out var micros):
                t.Append(micros);
                return true;
            case BooleanColumnBuilder b when Utf8Values.TryParseBoolean(text, out var flag):
                b.Append(flag);
                return true;
            case StringColumnBuilder s when Utf8Values.TryDecode(text) is { } value:
                s.Append(value);
                return true;
            default:
                return false;
        }
    }

    private interface ICsvRecord
    {
        long Line { get; }

        int FieldCount { get; }

        ReadOnlySpan<byte> Field(int index);

        bool IsQuoted(int index);
    }

    private readonly struct TokenizerRecord(CsvTokenizer tokenizer) : ICsvRecord
    {
        public long Line => tokenizer.RecordLine;

        public int FieldCount => tokenizer.FieldCount;

        public ReadOnlySpan<byte> Field(int index) => tokenizer.Field(index);

        public bool IsQuoted(int index) => tokenizer.IsQuoted(index);
    }

    private sealed record SampleRecord(long Line, byte[][] Fields, bool[] Quoted) : ICsvRecord
    {
        public int FieldCount => Fields.Length;

        public ReadOnlySpan<byte> Field(int index) => Fields[index];

        public bool IsQuoted(int index) => Quoted[index];

        public static SampleRecord Copy(CsvTokenizer tokenizer)
        {
            var fields = new byte[tokenizer.FieldCount][];
            var quoted = new bool[fields.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = tokenizer.Field(i).ToArray();
                quoted[i] = tokenizer.IsQuoted(i);
            }

            return new SampleRecord(tokenizer.RecordLine, fields, quoted);
        }
    }
}
