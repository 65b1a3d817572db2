using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats.Parquet;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Datasets;

/// <summary>Reads a version's Parquet part files straight from the store, and addresses its partition grains.</summary>
public static class DatasetFiles
{
    /// <summary>The partition grains of a version, in partition order.</summary>
    public static IPartitionGrain[] Partitions(IGrainFactory grains, string dataset, DatasetVersionInfo version) =>
        [.. Enumerable.Range(0, version.PartitionCount).Select(i => Partition(grains, dataset, version, i))];

    public static IPartitionGrain Partition(IGrainFactory grains, string dataset, DatasetVersionInfo version, int index) =>
        grains.GetGrain<IPartitionGrain>(DatasetPaths.PartitionKey(dataset, version.Version, index));

    /// <summary>One part file as a batch.</summary>
    public static Task<ColumnBatch> ReadPartAsync(IArtifactStore store, string path, CancellationToken cancellationToken) =>
        ReadPartAsync(store, path, null, cancellationToken);

    /// <summary>The named <paramref name="columns"/> of one part file (all when null), in the file's order; the others are not decoded.</summary>
    public static async Task<ColumnBatch> ReadPartAsync(IArtifactStore store, string path, IReadOnlyCollection<string>? columns, CancellationToken cancellationToken)
    {
        await using var content = await OpenSeekableAsync(store, path, cancellationToken);
        return await ParquetDatasetReader.ReadAllAsync(content, path, columns, cancellationToken);
    }

    /// <summary>The named <paramref name="columns"/> of the row groups of one part file that <paramref name="rowGroups"/> marks.</summary>
    public static async Task<ColumnBatch> ReadPartRowGroupsAsync(
        IArtifactStore store, string path, IReadOnlyCollection<string> columns, IReadOnlyList<bool> rowGroups, CancellationToken cancellationToken)
    {
        await using var content = await OpenSeekableAsync(store, path, cancellationToken);
        return await ParquetDatasetReader.ReadRowGroupsAsync(content, path, columns, rowGroups, cancellationToken);
    }

    /// <summary>The columns of one part file and the ranges of its integer and timestamp columns, over the file and in each row group, from its footer.</summary>
    public static async Task<(Data.Schema.DatasetSchema Schema, IReadOnlyDictionary<string, Data.Sql.ColumnRange> Ranges, IReadOnlyList<IReadOnlyDictionary<string, Data.Sql.ColumnRange>> RowGroups)> ReadPartFooterAsync(
        IArtifactStore store, string path, CancellationToken cancellationToken)
    {
        await using var content = await OpenSeekableAsync(store, path, cancellationToken);
        return await ParquetDatasetReader.ReadFooterAsync(content, path, cancellationToken);
    }

    /// <summary>Parquet needs a seekable stream: a local file is read in place, a blob is read into memory first.</summary>
    private static async Task<Stream> OpenSeekableAsync(IArtifactStore store, string path, CancellationToken cancellationToken)
    {
        var content = await store.OpenReadAsync(path, cancellationToken);
        if (content.CanSeek)
        {
            return content;
        }

        await using (content)
        {
            var local = new MemoryStream();
            await content.CopyToAsync(local, cancellationToken);
            local.Position = 0;
            return local;
        }
    }

    /// <summary>A whole version, partitions in order (for evaluation sets and single-node trainers).</summary>
    public static async Task<ColumnBatch> ReadAllAsync(IArtifactStore store, string dataset, DatasetVersionInfo version, CancellationToken cancellationToken)
    {
        var parts = new ColumnBatch[version.PartitionCount];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = await ReadPartAsync(store, DatasetPaths.Part(dataset, version.Version, i), cancellationToken);
        }

        return ColumnBatch.Concat(RowJson.Schema(version.Columns), parts);
    }
}
