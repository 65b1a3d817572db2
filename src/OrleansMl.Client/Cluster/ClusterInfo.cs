namespace OrleansMl.Client;

/// <summary>The silos that form the cluster (<c>GET /v1/cluster</c>), ordered by address.</summary>
public sealed record ClusterInfo(IReadOnlyList<SiloInfo> Silos);
