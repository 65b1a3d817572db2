namespace OrleansMl.Client;

/// <summary>
/// The lineage graph around a dataset version (<see cref="DatasetsClient.LineageAsync"/>): what it came from and what
/// used it. <see cref="Root"/> is the version asked for.
/// </summary>
/// <param name="Truncated">More nodes were reachable than the server returns (200); the nearest were kept.</param>
public sealed record LineageGraph(string Root, IReadOnlyList<LineageNode> Nodes, IReadOnlyList<LineageEdge> Edges, bool Truncated);

/// <summary>A dataset version, an import source, an experiment or a model version.</summary>
/// <param name="Id"><c>dataset:name@v</c>, <c>source:name@v</c>, <c>experiment:name</c> or <c>model:name@v</c>.</param>
/// <param name="Kind">dataset, source, experiment or model.</param>
/// <param name="Name">The dataset, experiment or model; for a source, the file or artifact it was imported from.</param>
/// <param name="Level">0 the version asked for, negative what it came from, positive what used it.</param>
/// <param name="Detail">A dataset version's row count, a source's operation; "deleted" for a version no longer there.</param>
public sealed record LineageNode(string Id, string Kind, string Name, int? Version, int Level, string? Detail);

/// <summary>How <see cref="To"/> came from <see cref="From"/>: an operation (import, transform, split, score, sql), experiment or trained.</summary>
public sealed record LineageEdge(string From, string To, string Label);
