namespace OrleansMl.Datasets;

/// <summary>A dataset: its versions, oldest first, and its recent operations, newest first.</summary>
[GenerateSerializer, Immutable, Alias("orleansml.DatasetInfo")]
public sealed record DatasetInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] IReadOnlyList<DatasetVersionInfo> Versions,
    [property: Id(2)] IReadOnlyList<DatasetOperation> Operations);
