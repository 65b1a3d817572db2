namespace OrleansMl.Datasets;

/// <summary>A partition grain: where it runs and what its cache holds.</summary>
/// <param name="CachedBytes">Bytes of rows held in memory now (0 when not loaded).</param>
[GenerateSerializer, Immutable, Alias("orleansml.PartitionInfo")]
public sealed record PartitionInfo(
    [property: Id(0)] int Index,
    [property: Id(1)] string Silo,
    [property: Id(2)] long Rows,
    [property: Id(3)] bool Loaded,
    [property: Id(4)] long CachedBytes,
    [property: Id(5)] string Path);
