namespace OrleansMl.Client;

/// <summary>One active silo of the cluster.</summary>
/// <param name="Address">The silo's address (endpoint and generation).</param>
/// <param name="Status">Its membership status, e.g. <c>Active</c>.</param>
public sealed record SiloInfo(string Address, string Name, string HostName, string Status, DateTime StartedAt);
