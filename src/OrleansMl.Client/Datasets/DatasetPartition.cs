namespace OrleansMl.Client;

/// <summary>One partition of a dataset version: the silo its grain runs on, its rows, and whether its columns are in that silo's memory.</summary>
/// <param name="Loaded">Whether the partition grain holds its columns now (an idle or evicted one reads them again when used).</param>
/// <param name="CachedBytes">The bytes of its columns held in memory.</param>
/// <param name="Path">Its file in the store.</param>
public sealed record DatasetPartition(int Index, string Silo, long Rows, bool Loaded, long CachedBytes, string Path);
