namespace OrleansMl.Client;

/// <summary>A dataset: its versions, oldest first, and its recent operations, newest first.</summary>
public sealed record DatasetInfo(string Name, IReadOnlyList<DatasetVersion> Versions, IReadOnlyList<DatasetOperation> Operations);
