using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats.Parquet;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Datasets;

/// <summary>Reads a whole dataset version straight from its Parquet files, partitions in order (for evaluation sets and single-node trainers).</summary>
public static class DatasetFiles
{
    public static async Task<ColumnBatch> ReadAllAsync(IArtifactStore store, string dataset, DatasetVersionInfo version, CancellationToken cancellationToken)
    {
        var parts = new ColumnBatch[version.PartitionCount];
        for (var i = 0; i < parts.Length; i++)
        {
            var path = DatasetPaths.Part(dataset, version.Version, i);
            await using var content = await store.OpenReadAsync(path, cancellationToken);
            using var local = new MemoryStream();
            await content.CopyToAsync(local, cancellationToken);
            local.Position = 0;
            parts[i] = await ParquetDatasetReader.ReadAllAsync(local, path, cancellationToken);
        }

        return ColumnBatch.Concat(RowJson.Schema(version.Columns), parts);
    }
}
