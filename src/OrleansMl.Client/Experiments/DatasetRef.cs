namespace OrleansMl.Client;

/// <summary>A dataset version; <paramref name="Version"/> null means the latest when the experiment starts (then pinned).</summary>
public sealed record DatasetRef(string Name, int? Version = null);
