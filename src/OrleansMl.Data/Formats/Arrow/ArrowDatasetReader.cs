using Apache.Arrow;
using Apache.Arrow.Compression;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Transforms;
using ArrowSchema = Apache.Arrow.Schema;
using Column = OrleansMl.Data.Columns.Column;

namespace OrleansMl.Data.Formats.Arrow;

/// <summary>
/// Reads an Arrow IPC file (Feather v2, <c>.arrow</c>, <c>.feather</c>: told by its <c>ARROW1</c>
/// magic) or stream, LZ4- or Zstandard-compressed or not, record batch by record batch. Integers
/// become int64 (an unsigned value past its range is an error), floats float64, strings text,
/// dictionary-encoded strings categorical, timestamps and dates timestamps (microseconds, UTC), and
/// fixed-size or equal-length lists of floats vectors. Any other column type is refused by name.
/// </summary>
public sealed class ArrowDatasetReader : IDatasetReader
{
    private readonly ArrowStreamReader _reader;
    private readonly Stream _stream;
    private readonly string _source;
    private readonly IReadOnlyDictionary<string, ColumnType>? _columnTypes;
    private readonly ColumnSchema[] _fileColumns;
    private RecordBatch? _batch;
    private int _offset;
    private long _rowsBefore;

    private ArrowDatasetReader(ArrowStreamReader reader, Stream stream, string source, IReadOnlyDictionary<string, ColumnType>? columnTypes)
    {
        _reader = reader;
        _stream = stream;
        _source = source;
        _columnTypes = columnTypes;
        ArrowSchema schema;
        try
        {
            schema = reader.Schema;
            _batch = reader.ReadNextRecordBatch();
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new DataFormatException(source, $"this is not a readable Arrow IPC file or stream ({e.Message})", inner: e);
        }

        _fileColumns = [.. schema.FieldsList.Select((f, i) => MapField(f, i))];
        if (columnTypes?.Keys.FirstOrDefault(k => System.Array.FindIndex(_fileColumns, c => c.Name == k) < 0) is { } unknown)
        {
            throw new SchemaException($"{source}: a column type is given for '{unknown}', but the file has no such column. Columns: {string.Join(", ", _fileColumns.Select(c => c.Name))}.");
        }

        Schema = new DatasetSchema(_fileColumns.Select(c => columnTypes is not null && columnTypes.TryGetValue(c.Name, out var type) ? c with { Type = type } : c));
    }

    public DatasetSchema Schema { get; }

    public long BytesRead => _stream.CanSeek ? _stream.Position : 0;

    public long RowsRead { get; private set; }

    /// <exception cref="DataFormatException">Not Arrow IPC, or a column of a type that cannot be imported.</exception>
    public static ArrowDatasetReader Open(Stream stream, string source, IReadOnlyDictionary<string, ColumnType>? columnTypes = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var file = false;
        if (stream.CanSeek)
        {
            Span<byte> magic = stackalloc byte[6];
            file = stream.ReadAtLeast(magic, 6, throwOnEndOfStream: false) == 6 && magic.SequenceEqual("ARROW1"u8);
            stream.Position = 0;
        }

        var codecs = new CompressionCodecFactory();
        return new ArrowDatasetReader(file ? new ArrowFileReader(stream, codecs) : new ArrowStreamReader(stream, codecs), stream, source, columnTypes);
    }

    public ColumnBatch? ReadBatch(int maxRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        while (_batch is not null && _offset >= _batch.Length)
        {
            // Not disposed: a decompressed dictionary is shared by the batches after it, and disposing one batch frees it for all.
            _rowsBefore += _batch.Length;
            _batch = _reader.ReadNextRecordBatch();
            _offset = 0;
        }

        if (_batch is null)
        {
            return null;
        }

        var count = Math.Min(maxRows, _batch.Length - _offset);
        var columns = new Column[_fileColumns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            var column = Convert(_batch.Column(c), _fileColumns[c], _offset, count);
            columns[c] = column.Type == Schema[c].Type ? column : ColumnCast.Cast(column, Schema[c].Type);
        }

        _offset += count;
        RowsRead += count;
        return new ColumnBatch(Schema, columns);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
    }

    private ColumnSchema MapField(Field field, int index)
    {
        var type = field.DataType;
        (ColumnType Type, int Length)? mapped = type switch
        {
            Int8Type or Int16Type or Int32Type or Int64Type or UInt8Type or UInt16Type or UInt32Type or UInt64Type => (ColumnType.Int64, 0),
            HalfFloatType or FloatType or DoubleType => (ColumnType.Float64, 0),
            BooleanType => (ColumnType.Boolean, 0),
            StringType => (ColumnType.String, 0),
            DictionaryType { ValueType: StringType } => (ColumnType.Categorical, 0),
            TimestampType or Date32Type or Date64Type => (ColumnType.Timestamp, 0),
            FixedSizeListType { ValueDataType: HalfFloatType or FloatType or DoubleType } list => (ColumnType.Vector, list.ListSize),
            ListType { ValueDataType: HalfFloatType or FloatType or DoubleType } => (ColumnType.Vector, FirstListLength(index, field.Name)),
            _ => null,
        };
        return mapped is var (columnType, length)
            ? new ColumnSchema(field.Name, columnType, length)
            : throw new DataFormatException(_source, $"column '{field.Name}' is Arrow {type.Name}, which cannot be imported (numbers, booleans, strings, dictionary strings, timestamps, dates and lists of floats can)");
    }

    /// <summary>A list column's vector length: its first non-null list's (every list must have it).</summary>
    private int FirstListLength(int index, string name)
    {
        if (_batch?.Column(index) is ListArray lists)
        {
            for (var i = 0; i < lists.Length; i++)
            {
                if (!lists.IsNull(i))
                {
                    return lists.GetValueLength(i);
                }
            }
        }

        throw new DataFormatException(_source, $"column '{name}' is a list column whose first batch holds no list, so its vector length is unknown");
    }

    private Column Convert(IArrowArray array, ColumnSchema schema, int offset, int count)
    {
        var builder = ColumnBuilder.Create(schema, count);
        for (var i = offset; i < offset + count; i++)
        {
            if (array.IsNull(i))
            {
                builder.AppendNull();
                continue;
            }

            switch (builder)
            {
                case PrimitiveColumnBuilder<long> integers:
                    integers.Append(array switch
                    {
                        TimestampArray times => (times.GetTimestampUnchecked(i).UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond,
                        Date32Array days => days.GetValue(i)!.Value * 86_400_000_000L,
                        Date64Array milliseconds => milliseconds.GetValue(i)!.Value * 1000L,
                        _ => Integer(array, i, schema.Name),
                    });
                    break;
                case PrimitiveColumnBuilder<double> floats:
                    floats.Append(array switch
                    {
                        DoubleArray d => d.GetValue(i)!.Value,
                        FloatArray f => f.GetValue(i)!.Value,
                        HalfFloatArray h => (double)h.GetValue(i)!.Value,
                        _ => throw Unexpected(schema.Name, array),
                    });
                    break;
                case PrimitiveColumnBuilder<bool> booleans:
                    booleans.Append(((BooleanArray)array).GetValue(i)!.Value);
                    break;
                case StringColumnBuilder strings:
                    strings.Append(array switch
                    {
                        StringArray s => s.GetString(i),
                        DictionaryArray { Dictionary: StringArray words } d => words.GetString((int)Integer(d.Indices, i, schema.Name)),
                        _ => throw Unexpected(schema.Name, array),
                    });
                    break;
                case VectorColumnBuilder vectors:
                    vectors.Append(Vector(array, i, schema));
                    break;
            }
        }

        return builder.Build();
    }

    private float[] Vector(IArrowArray array, int row, ColumnSchema schema)
    {
        var values = array switch
        {
            FixedSizeListArray fixedSize => fixedSize.GetSlicedValues(row),
            ListArray list => list.GetSlicedValues(row),
            _ => throw Unexpected(schema.Name, array),
        };
        if (values.Length != schema.VectorLength)
        {
            throw new DataFormatException(_source, $"column '{schema.Name}', row {_rowsBefore + row + 1:N0}: a list of {values.Length} values where the column's lists have {schema.VectorLength}");
        }

        var vector = new float[values.Length];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = values switch
            {
                FloatArray f => f.GetValue(i) ?? float.NaN,
                DoubleArray d => (float)(d.GetValue(i) ?? double.NaN),
                HalfFloatArray h => (float)(h.GetValue(i) ?? Half.NaN),
                _ => throw Unexpected(schema.Name, values),
            };
        }

        return vector;
    }

    private long Integer(IArrowArray array, int row, string name) => array switch
    {
        Int64Array a => a.GetValue(row)!.Value,
        Int32Array a => a.GetValue(row)!.Value,
        Int16Array a => a.GetValue(row)!.Value,
        Int8Array a => a.GetValue(row)!.Value,
        UInt32Array a => a.GetValue(row)!.Value,
        UInt16Array a => a.GetValue(row)!.Value,
        UInt8Array a => a.GetValue(row)!.Value,
        UInt64Array a => a.GetValue(row)!.Value is var value && value <= long.MaxValue
            ? (long)value
            : throw new DataFormatException(_source, $"column '{name}', row {_rowsBefore + row + 1:N0}: {value} is past the largest int64"),
        _ => throw Unexpected(name, array),
    };

    private DataFormatException Unexpected(string name, IArrowArray array) =>
        new(_source, $"column '{name}' holds Arrow {array.Data.DataType.Name} values where its schema said otherwise");
}
