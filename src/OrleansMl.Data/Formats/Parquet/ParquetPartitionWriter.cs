using System.Buffers;
using Parquet;
using Parquet.Schema;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Formats.Parquet;

/// <summary>
/// Writes column batches as one Parquet file, one row group per batch, Snappy-compressed, with the
/// dataset schema in the key-value metadata. The output must be writable and seekable (a local file).
/// </summary>
public sealed class ParquetPartitionWriter : IAsyncDisposable
{
    private readonly ParquetWriter _writer;
    private readonly DataField[] _fields;

    private ParquetPartitionWriter(ParquetWriter writer, DatasetSchema schema, DataField[] fields)
    {
        _writer = writer;
        _fields = fields;
        Schema = schema;
    }

    public DatasetSchema Schema { get; }

    public long RowCount { get; private set; }

    public static async Task<ParquetPartitionWriter> CreateAsync(Stream output, DatasetSchema schema, CancellationToken cancellationToken = default)
    {
        var parquet = ParquetSchemaMapping.ToParquet(schema);
        var options = new ParquetOptions { CompressionMethod = CompressionMethod.Snappy };
        foreach (var field in parquet.GetDataFields().Where(f => f.ClrType == typeof(string) || f.ClrType == typeof(ReadOnlyMemory<char>)))
        {
            options.ColumnEncodingHints[field.Path.ToString()] = EncodingHint.Dictionary;
        }

        var writer = await ParquetWriter.CreateAsync(parquet, output, options, cancellationToken: cancellationToken);
        writer.CustomMetadata = new Dictionary<string, string> { [ParquetSchemaMapping.SchemaMetadataKey] = SchemaJson.Serialize(schema) };
        return new ParquetPartitionWriter(writer, schema, parquet.GetDataFields());
    }

    /// <summary>Writes the batch as one row group.</summary>
    public async Task WriteAsync(ColumnBatch batch, CancellationToken cancellationToken = default)
    {
        if (!Equals(batch.Schema, Schema))
        {
            throw new SchemaException($"The batch schema ({batch.Schema}) differs from the file schema ({Schema}).");
        }

        if (batch.RowCount == 0)
        {
            return;
        }

        using var group = _writer.CreateRowGroup();
        for (var c = 0; c < batch.Columns.Count; c++)
        {
            await WriteColumnAsync(group, _fields[c], batch.Columns[c], cancellationToken);
        }

        RowCount += batch.RowCount;
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private static Task WriteColumnAsync(ParquetRowGroupWriter group, DataField field, Column column, CancellationToken cancellationToken)
    {
        switch (column)
        {
            case Int64Column timestamps when column.Type == ColumnType.Timestamp:
                var times = new DateTime[timestamps.Length];
                var micros = timestamps.Values;
                for (var i = 0; i < times.Length; i++)
                {
                    times[i] = DateTime.UnixEpoch.AddTicks(micros[i] * TimeSpan.TicksPerMicrosecond);
                }

                return WritePrimitiveAsync(group, field, times, column.Nulls, cancellationToken);
            case Int64Column longs:
                return WritePrimitiveAsync(group, field, longs.UnsafeArray, column.Nulls, cancellationToken);
            case Float64Column doubles:
                return WritePrimitiveAsync(group, field, doubles.UnsafeArray, column.Nulls, cancellationToken);
            case BooleanColumn booleans:
                return WritePrimitiveAsync(group, field, booleans.UnsafeArray, column.Nulls, cancellationToken);
            case StringColumn strings:
                return WriteTextAsync(group, field, strings.Values, cancellationToken);
            case VectorColumn vectors:
                return WriteVectorsAsync(group, field, vectors, cancellationToken);
            default:
                throw new SchemaException($"Column '{column.Name}' of type {column.Type} cannot be written to Parquet.");
        }
    }

    /// <summary>
    /// Text through the typed path so that Parquet.Net dictionary-encodes it (the string helper never does):
    /// a column of repeated values (categories, codes) reads back about three times faster (bench: cold Q1).
    /// </summary>
    private static Task WriteTextAsync(ParquetRowGroupWriter group, DataField field, ReadOnlySpan<string?> strings, CancellationToken cancellationToken)
    {
        var values = new ReadOnlyMemory<char>[strings.Length];
        NullMask? nulls = null;
        for (var i = 0; i < strings.Length; i++)
        {
            if (strings[i] is { } text)
            {
                values[i] = text.AsMemory();
            }
            else
            {
                (nulls ??= new NullMask(strings.Length)).SetNull(i);
            }
        }

        return WritePrimitiveAsync(group, field, values, nulls, cancellationToken);
    }

    private static async Task WritePrimitiveAsync<T>(ParquetRowGroupWriter group, DataField field, T[] values, NullMask? nulls, CancellationToken cancellationToken)
        where T : struct
    {
        var definitions = new int[values.Length];
        if (nulls is null)
        {
            definitions.AsSpan().Fill(1);
            await group.WriteAllPartsAsync<T>(field, values, definitions, null, cancellationToken);
            return;
        }

        var present = new T[values.Length - nulls.CountNulls()];
        var next = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (!nulls[i])
            {
                definitions[i] = 1;
                present[next++] = values[i];
            }
        }

        await group.WriteAllPartsAsync<T>(field, present, definitions, null, cancellationToken);
    }

    private static async Task WriteVectorsAsync(ParquetRowGroupWriter group, DataField element, VectorColumn vectors, CancellationToken cancellationToken)
    {
        var dimension = vectors.Dimension;
        var nulls = vectors.Nulls;
        var nullRows = vectors.CountNulls();
        var entries = ((vectors.Length - nullRows) * dimension) + nullRows;

        // Levels for every element of every row: pooled, since they are as long as the values.
        var definitions = ArrayPool<int>.Shared.Rent(entries);
        var repetitions = ArrayPool<int>.Shared.Rent(entries);
        try
        {
            var values = nulls is null ? vectors.UnsafeArray : new float[(vectors.Length - nullRows) * dimension];
            var entry = 0;
            var value = 0;
            for (var row = 0; row < vectors.Length; row++)
            {
                if (nulls is not null && nulls[row])
                {
                    definitions[entry] = 0; // a null list: one entry, no value
                    repetitions[entry++] = 0;
                    continue;
                }

                definitions.AsSpan(entry, dimension).Fill(element.MaxDefinitionLevel);
                repetitions[entry] = 0;
                repetitions.AsSpan(entry + 1, dimension - 1).Fill(1);
                if (nulls is not null)
                {
                    vectors.Row(row).CopyTo(values.AsSpan(value, dimension));
                }

                entry += dimension;
                value += dimension;
            }

            await group.WriteAllPartsAsync<float>(element, values, definitions.AsMemory(0, entries), repetitions.AsMemory(0, entries), cancellationToken);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(definitions);
            ArrayPool<int>.Shared.Return(repetitions);
        }
    }
}
