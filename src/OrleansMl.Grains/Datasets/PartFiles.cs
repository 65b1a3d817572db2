using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats.Parquet;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Datasets;

/// <summary>Writing one part file of a dataset version.</summary>
internal static class PartFiles
{
    private const int RowGroup = 65_536;

    /// <summary>
    /// Writes a batch as one Parquet part to the store; its size in bytes. The store reads what it keeps
    /// from a stream: a small part (under 16 MiB in memory, a scored partition's predictions say) is encoded
    /// in memory, a larger one through a temporary file, so memory stays bounded by the rows given.
    /// </summary>
    public static async Task<long> WriteAsync(IArtifactStore store, string path, ColumnBatch batch, CancellationToken cancellationToken)
    {
        await using Stream file = batch.EstimatedBytes < 16 << 20
            ? new MemoryStream()
            : new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        await using (var writer = await ParquetPartitionWriter.CreateAsync(file, batch.Schema, cancellationToken))
        {
            for (var start = 0; start < batch.RowCount; start += RowGroup)
            {
                await writer.WriteAsync(start == 0 && batch.RowCount <= RowGroup ? batch : batch.Slice(start, Math.Min(RowGroup, batch.RowCount - start)), cancellationToken);
            }
        }

        file.Position = 0;
        await store.WriteAsync(path, file, ArtifactWriteCondition.None, cancellationToken);
        return file.Length;
    }
}
