using OrleansMl.Datasets;

namespace OrleansMl.Gateway.Apis;

/// <summary>A node of a lineage graph: a dataset version, an import source, an experiment or a model version.</summary>
/// <param name="Id">Unique in the graph: <c>dataset:name@v</c>, <c>source:name@v</c>, <c>experiment:name</c>, <c>model:name@v</c>.</param>
/// <param name="Kind">dataset, source, experiment or model.</param>
/// <param name="Level">0 the version asked for, negative what it came from, positive what used it.</param>
/// <param name="Detail">A dataset version's row count, a source's operation; "deleted" for a version no longer there.</param>
public sealed record LineageNode(string Id, string Kind, string Name, int? Version, int Level, string? Detail);

/// <param name="Label">How <paramref name="To"/> came from <paramref name="From"/>: an operation (import, transform, split, score, sql), experiment or trained.</param>
public sealed record LineageEdge(string From, string To, string Label);

/// <param name="Truncated">More than <see cref="DatasetLineageGraph.MaxNodes"/> nodes were reachable; the nearest were kept.</param>
public sealed record LineageGraph(string Root, IReadOnlyList<LineageNode> Nodes, IReadOnlyList<LineageEdge> Edges, bool Truncated);

/// <summary>
/// The lineage graph around a dataset version, walked from the versions' own records: upstream through each version's
/// lineage (its parent, the versions a query read, else its import source), downstream through the uses each dataset
/// keeps (<see cref="IDatasetGrain.GetUsesAsync"/>: derived versions, experiments, model versions), each up to
/// <c>depth</c> steps, breadth first.
/// </summary>
public static class DatasetLineageGraph
{
    public const int MaxNodes = 200;

    public static async Task<LineageGraph?> BuildAsync(IGrainFactory grains, string name, int? version, int depth)
    {
        var infos = new Dictionary<string, DatasetInfo?>(StringComparer.Ordinal);
        async Task<DatasetVersionInfo?> VersionAsync(string dataset, int? number)
        {
            if (!infos.TryGetValue(dataset, out var info))
            {
                infos[dataset] = info = await grains.GetGrain<IDatasetGrain>(dataset).GetAsync();
            }

            return info?.Versions.LastOrDefault(v => number is null || v.Version == number);
        }

        if (await VersionAsync(name, version) is not { } root)
        {
            return null;
        }

        var nodes = new Dictionary<string, LineageNode>(StringComparer.Ordinal);
        var edges = new List<LineageEdge>();
        var truncated = false;
        bool Add(LineageNode node)
        {
            if (nodes.ContainsKey(node.Id))
            {
                return false;
            }

            if (nodes.Count >= MaxNodes)
            {
                truncated = true;
                return false;
            }

            nodes[node.Id] = node;
            return true;
        }

        var linked = new HashSet<(string, string)>();
        void Link(string from, string to, string label)
        {
            if (nodes.ContainsKey(from) && nodes.ContainsKey(to) && linked.Add((from, to)))
            {
                edges.Add(new LineageEdge(from, to, label));
            }
        }

        static string DatasetId(string dataset, int number) => $"dataset:{dataset}@{number}";
        static LineageNode DatasetNode(string dataset, int number, DatasetVersionInfo? info, int level) =>
            new(DatasetId(dataset, number), DatasetUse.DatasetKind, dataset, number, level, info is null ? "deleted" : $"{info.RowCount} rows");

        var rootId = DatasetId(name, root.Version);
        Add(DatasetNode(name, root.Version, root, 0));

        // What it came from.
        var up = new Queue<(string Dataset, DatasetVersionInfo Info, int Level)>([(name, root, 0)]);
        while (up.TryDequeue(out var item))
        {
            var (dataset, info, level) = item;
            if (-level >= depth)
            {
                continue;
            }

            var child = DatasetId(dataset, info.Version);
            var parents = info.Lineage.Parents();
            if (parents.Count == 0)
            {
                var source = $"source:{dataset}@{info.Version}";
                Add(new LineageNode(source, "source", info.Lineage.Source, null, level - 1, info.Lineage.Operation));
                Link(source, child, info.Lineage.Operation);
            }

            foreach (var (parent, number) in parents)
            {
                var parentInfo = await VersionAsync(parent, number);
                if (Add(DatasetNode(parent, number, parentInfo, level - 1)) && parentInfo is not null)
                {
                    up.Enqueue((parent, parentInfo, level - 1));
                }

                Link(DatasetId(parent, number), child, info.Lineage.Operation);
            }
        }

        // What used it.
        var down = new Queue<(string Dataset, int Version, int Level)>([(name, root.Version, 0)]);
        while (down.TryDequeue(out var item))
        {
            var (dataset, number, level) = item;
            if (level >= depth)
            {
                continue;
            }

            foreach (var use in await grains.GetGrain<IDatasetGrain>(dataset).GetUsesAsync(number))
            {
                var (id, label) = use.Kind switch
                {
                    DatasetUse.DatasetKind => (DatasetId(use.Name, use.Version ?? 0), use.Operation ?? "derived"),
                    DatasetUse.ExperimentKind => ($"experiment:{use.Name}", "experiment"),
                    _ => ($"model:{use.Name}@{use.Version}", "trained"),
                };
                if (!nodes.ContainsKey(id) && nodes.Count >= MaxNodes)
                {
                    truncated = true; // full: no need to look the use up
                    continue;
                }

                var usedInfo = use.Kind == DatasetUse.DatasetKind ? await VersionAsync(use.Name, use.Version) : null;
                var added = Add(use.Kind == DatasetUse.DatasetKind
                    ? DatasetNode(use.Name, use.Version ?? 0, usedInfo, level + 1)
                    : new LineageNode(id, use.Kind, use.Name, use.Version, level + 1, null));
                if (added && usedInfo is not null)
                {
                    down.Enqueue((use.Name, usedInfo.Version, level + 1));
                }

                Link(DatasetId(dataset, number), id, label);
            }
        }

        return new LineageGraph(rootId, [.. nodes.Values], edges, truncated);
    }
}
