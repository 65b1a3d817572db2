using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats.Parquet;
using OrleansMl.Data.Schema;
using OrleansMl.Datasets;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Sql;

/// <summary>A stage's rows on the wire between a partition grain and the coordinator: one Parquet file's bytes (compact, typed, columnar); no rows, no bytes.</summary>
internal static class SqlBatches
{
    /// <summary>The most bytes one partition's part of a query may take on the wire (one grain message).</summary>
    public const int MaxPartBytes = 64 << 20;

    /// <exception cref="ArgumentException">The part is over <see cref="MaxPartBytes"/>; the field is <c>query</c>.</exception>
    public static async Task<byte[]> EncodeAsync(ColumnBatch rows, CancellationToken cancellationToken)
    {
        var bytes = await WriteAsync(rows, cancellationToken);
        return bytes.Length <= MaxPartBytes
            ? bytes
            : throw FieldError.Invalid(
                $"One partition's part of this query is {bytes.Length >> 20} MiB ({rows.RowCount:N0} rows or groups), over the {MaxPartBytes >> 20} MiB a part may take; group by fewer distinct values, filter, or add LIMIT.", "query");
    }

    /// <summary>A relation sent whole to every partition grain of a join (<paramref name="what"/> names it in the error).</summary>
    /// <exception cref="ArgumentException">It is over <see cref="MaxPartBytes"/>; the field is <c>query</c>.</exception>
    public static async Task<byte[]> EncodeBroadcastAsync(ColumnBatch rows, string what, CancellationToken cancellationToken)
    {
        var bytes = await WriteAsync(rows, cancellationToken);
        return bytes.Length <= MaxPartBytes
            ? bytes
            : throw FieldError.Invalid(
                $"{what} is {bytes.Length >> 20} MiB as the query reads it ({rows.RowCount:N0} rows), over the {MaxPartBytes >> 20} MiB a relation sent to every partition of a join may take; filter it, read fewer of its columns, or join it from the larger side.", "query");
    }

    private static async Task<byte[]> WriteAsync(ColumnBatch rows, CancellationToken cancellationToken)
    {
        if (rows.RowCount == 0)
        {
            return [];
        }

        using var buffer = new MemoryStream();
        await using (var writer = await ParquetPartitionWriter.CreateAsync(buffer, rows.Schema, cancellationToken))
        {
            await writer.WriteAsync(rows, cancellationToken);
        }

        return buffer.ToArray(); // the writer has closed the stream; ToArray still answers
    }

    /// <summary>The rows, with <paramref name="schema"/>'s types (Parquet keeps a categorical as text).</summary>
    public static async Task<ColumnBatch> DecodeAsync(byte[] bytes, DatasetSchema schema, CancellationToken cancellationToken)
    {
        if (bytes.Length == 0)
        {
            return ColumnBatch.Empty(schema);
        }

        using var buffer = new MemoryStream(bytes, writable: false);
        return WithSchema(await ParquetDatasetReader.ReadAllAsync(buffer, "partition result", cancellationToken), schema);
    }

    /// <summary>Rows of a hash exchange written to the store as one Parquet file; its bytes.</summary>
    private static async Task<long> StoreAsync(IArtifactStore store, string path, ColumnBatch rows, CancellationToken cancellationToken)
    {
        var bytes = await WriteAsync(rows, cancellationToken);
        using var content = new MemoryStream(bytes, writable: false);
        await store.WriteAsync(path, content, cancellationToken: cancellationToken);
        return bytes.Length;
    }

    /// <summary>Each non-empty bucket of a hash exchange written to the store as one file at <paramref name="path"/>(bucket); the rows per bucket.</summary>
    public static async Task<long[]> StoreBucketsAsync(IArtifactStore store, ColumnBatch[] buckets, Func<int, string> path, CancellationToken cancellationToken)
    {
        var counts = new long[buckets.Length];
        for (var b = 0; b < buckets.Length; b++)
        {
            if (buckets[b].RowCount > 0)
            {
                counts[b] = buckets[b].RowCount;
                await StoreAsync(store, path(b), buckets[b], cancellationToken);
            }
        }

        return counts;
    }

    /// <summary>Rows of a hash exchange read back from the store, with <paramref name="schema"/>'s types.</summary>
    public static async Task<ColumnBatch> LoadAsync(IArtifactStore store, string path, DatasetSchema schema, CancellationToken cancellationToken) =>
        WithSchema(await DatasetFiles.ReadPartAsync(store, path, cancellationToken), schema);

    private static ColumnBatch WithSchema(ColumnBatch rows, DatasetSchema schema) =>
        new(schema, [.. rows.Columns.Select((c, i) => c.WithSchema(schema[i]))]);
}
