using System.Text.Json;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Datasets;

/// <summary>
/// <c>manifest.json</c>: the version's schema, partitions with row counts, lineage and basic column
/// statistics. Written after every partition file, so its presence marks a complete version for
/// any reader of the data lake.
/// </summary>
public static class DatasetManifest
{
    public const string Format = "orleansml.dataset/1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task WriteAsync(IArtifactStore store, string dataset, DatasetVersionInfo info, IReadOnlyList<long> partitionBytes, IReadOnlyList<object>? columnStatistics, CancellationToken cancellationToken)
    {
        var manifest = new
        {
            format = Format,
            dataset,
            version = info.Version,
            createdAt = info.CreatedAt,
            rowCount = info.RowCount,
            bytes = info.Bytes,
            schema = info.Columns,
            partitions = info.PartitionRows.Select((rows, i) => new
            {
                path = DatasetPaths.Part(dataset, info.Version, i)[DatasetPaths.Version(dataset, info.Version).Length..],
                rows,
                bytes = partitionBytes[i],
            }),
            statistics = columnStatistics ?? [],
            lineage = info.Lineage,
        };
        using var content = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(manifest, Json));
        await store.WriteAsync(DatasetPaths.Manifest(dataset, info.Version), content, ArtifactWriteCondition.NotExists, cancellationToken);
    }

    /// <summary>
    /// The version a complete manifest describes, or null when there is none: how an operation whose
    /// files and manifest were written, but whose grain-state write was not, is rolled forward.
    /// </summary>
    public static async Task<DatasetVersionInfo?> ReadAsync(IArtifactStore store, string dataset, int version, CancellationToken cancellationToken)
    {
        var path = DatasetPaths.Manifest(dataset, version);
        if (await store.GetInfoAsync(path, cancellationToken) is null)
        {
            return null;
        }

        await using var content = await store.OpenReadAsync(path, cancellationToken);
        var manifest = await JsonSerializer.DeserializeAsync<Stored>(content, Json, cancellationToken)
            ?? throw new InvalidDataException($"{path} is empty.");
        if (manifest.Format != Format || manifest.Version != version || manifest.Dataset != dataset)
        {
            throw new InvalidDataException($"{path} is not the manifest of {dataset} v{version} in format {Format}.");
        }

        return new DatasetVersionInfo(version, manifest.CreatedAt, manifest.Schema, manifest.RowCount, [.. manifest.Partitions.Select(p => p.Rows)],
            manifest.Bytes, DatasetPaths.Version(dataset, version), manifest.Lineage);
    }

    /// <summary>Deletes whatever an unfinished operation wrote under a version (best effort).</summary>
    public static async Task DeleteVersionFilesAsync(IArtifactStore store, string dataset, int version, CancellationToken cancellationToken)
    {
        var paths = new List<string>();
        await foreach (var artifact in store.ListAsync(DatasetPaths.Version(dataset, version), cancellationToken))
        {
            paths.Add(artifact.Path);
        }

        // The manifest goes first, so a half-deleted version never looks complete.
        foreach (var path in paths.OrderByDescending(p => p.EndsWith("manifest.json", StringComparison.Ordinal)))
        {
            await store.DeleteAsync(path, cancellationToken);
        }
    }

    private sealed record Stored(
        string Format, string Dataset, int Version, DateTimeOffset CreatedAt, long RowCount, long Bytes,
        IReadOnlyList<DatasetColumn> Schema, IReadOnlyList<StoredPartition> Partitions, DatasetLineage Lineage);

    private sealed record StoredPartition(string Path, long Rows, long Bytes);
}
