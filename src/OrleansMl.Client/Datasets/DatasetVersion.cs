using System.Text.Json;

namespace OrleansMl.Client;

/// <summary>One immutable version of a dataset.</summary>
/// <param name="PartitionRows">The row count of each partition.</param>
/// <param name="Bytes">The total size of the stored partition files.</param>
/// <param name="Path">The artifact folder that holds the version.</param>
/// <param name="Lineage">Where it came from: <c>{ operation, source, parentDataset, parentVersion, steps }</c>.</param>
public sealed record DatasetVersion(
    int Version,
    DateTimeOffset CreatedAt,
    IReadOnlyList<DatasetColumn> Columns,
    long RowCount,
    IReadOnlyList<long> PartitionRows,
    long Bytes,
    string Path,
    JsonElement? Lineage = null);
