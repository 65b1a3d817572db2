using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Datasets;

/// <summary>Files read in place by SQL (<c>read_parquet</c>, <c>read_csv</c>, …) with the import's readers, rules and allowed folders.</summary>
public sealed partial class DatasetImporter
{
    /// <summary>The columns of a file as an import would read them (a footer, a header and the inference rows).</summary>
    /// <exception cref="ArgumentException">The request is invalid or the path outside the allowed folders; the field is named.</exception>
    public async Task<DatasetSchema> ReadSchemaAsync(ImportRequest request, CancellationToken cancellationToken)
    {
        var format = Validate(request);
        await using var quarantine = new QuarantineFile();
        using var reader = await OpenReaderAsync(format, request, new OperationProgress(), quarantine, cancellationToken);
        return reader.Schema;
    }

    /// <summary>Every row of a file, in one batch; <paramref name="tooLarge"/> is thrown once the rows read pass <paramref name="maxBytes"/>.</summary>
    public async Task<ColumnBatch> ReadWholeAsync(ImportRequest request, long maxBytes, Func<long, Exception> tooLarge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tooLarge);
        var format = Validate(request);
        await using var quarantine = new QuarantineFile();
        using var reader = await OpenReaderAsync(format, request, new OperationProgress(), quarantine, cancellationToken);
        return await Task.Run(
            () =>
            {
                var batches = new List<ColumnBatch>();
                long bytes = 0;
                while (reader.ReadBatch(64 * 1024) is { } batch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    bytes += batch.EstimatedBytes;
                    if (bytes > maxBytes)
                    {
                        throw tooLarge(reader.RowsRead);
                    }

                    batches.Add(batch);
                }

                return ColumnBatch.Concat(reader.Schema, batches);
            },
            cancellationToken);
    }
}
