using System.Numerics.Tensors;
using OrleansMl.Datasets;
using OrleansMl.Ml.Knn;

namespace OrleansMl.Knn;

/// <summary>
/// The exact distributed k-NN classifier: the model is the training partitions. Each batch of queries
/// goes to every partition grain at once; each returns its local top-k; the merge keeps the k
/// smallest by (distance, partition, row) — exactly the neighbours a single index over all rows (in
/// partition order) finds, because every (query, row) distance is computed by the same arithmetic
/// wherever the row lives. Then the neighbours vote.
/// </summary>
public sealed class DistributedKnnClassifier(IGrainFactory grains, string dataset, DatasetVersionInfo version, KnnClassifierOptions options)
{
    private readonly long[] _firstRow = FirstRows(version.PartitionRows);

    /// <summary>
    /// Has every partition load its rows and build its index now (a search of no queries), so that work can overlap
    /// with the caller's own preparation instead of delaying the first batch.
    /// </summary>
    public Task LoadAsync(int dimension, CancellationToken cancellationToken = default)
    {
        var none = new KnnSearch(options.FeatureColumn, options.LabelColumn, [], dimension, options.K, options.Distance);
        return Task.WhenAll(DatasetFiles.Partitions(grains, dataset, version).Select(p => p.KnnSearchAsync(none, cancellationToken)));
    }

    public async Task<KnnPrediction> PredictAsync(float[] queries, int dimension, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.K, 1);
        if (dimension <= 0 || queries.Length % dimension != 0)
        {
            throw new ArgumentException($"queries holds {queries.Length} floats, not a whole number of {dimension}-long vectors.", nameof(queries));
        }

        var count = queries.Length / dimension;
        var k = options.K;
        var labels = new long[count];
        var rows = new long[count * k];
        var distances = new float[count * k];
        var scores = new float[count * options.Classes];
        var partitions = DatasetFiles.Partitions(grains, dataset, version);
        var (ordered, order) = InOrderOfNorm(queries, dimension);
        for (var start = 0; start < count; start += options.QueryBatch)
        {
            var batch = Math.Min(options.QueryBatch, count - start);
            var search = new KnnSearch(options.FeatureColumn, options.LabelColumn, ordered[(start * dimension)..((start + batch) * dimension)], dimension, k, options.Distance);
            var parts = await Task.WhenAll(partitions.Select(p => p.KnnSearchAsync(search, cancellationToken)));
            Merge(parts, order.AsSpan(start, batch), labels, rows, distances, scores);
        }

        return new KnnPrediction(labels, rows, distances, k, scores);
    }

    /// <summary>
    /// L2: the queries in ascending order of norm, and where each came from. A batch of them then spans a narrow band of norms,
    /// which lets the partitions' scans skip more rows (<see cref="KnnIndex"/>); the answers do not depend on the order.
    /// </summary>
    private (float[] Queries, int[] Order) InOrderOfNorm(float[] queries, int dimension)
    {
        var count = queries.Length / dimension;
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        if (KnnDistances.Parse(options.Distance) != KnnDistance.L2 || count <= options.QueryBatch)
        {
            return (queries, order);
        }

        var norms = new float[count];
        for (var i = 0; i < count; i++)
        {
            var norm = TensorPrimitives.SumOfSquares(queries.AsSpan(i * dimension, dimension));
            norms[i] = float.IsNaN(norm) ? float.PositiveInfinity : norm;
        }

        Array.Sort(norms, order);
        var ordered = new float[queries.Length];
        for (var i = 0; i < count; i++)
        {
            queries.AsSpan(order[i] * dimension, dimension).CopyTo(ordered.AsSpan(i * dimension));
        }

        return (ordered, order);
    }

    /// <summary>Merges a batch's partition lists; the batch's query q is query <paramref name="targets"/>[q] of the caller.</summary>
    private void Merge(KnnNeighbors[] parts, ReadOnlySpan<int> targets, long[] labels, long[] rows, float[] distances, float[] scores)
    {
        var batch = targets.Length;
        var k = options.K;
        var cursor = new int[parts.Length];
        var neighbors = new Neighbor[k];
        var neighborLabels = new long[k];
        for (var q = 0; q < batch; q++)
        {
            Array.Clear(cursor);
            var taken = 0;
            for (; taken < k; taken++)
            {
                // k-way merge of the partitions' sorted lists; ties go to the lower partition, then the lower row.
                var best = -1;
                for (var p = 0; p < parts.Length; p++)
                {
                    var at = (q * k) + cursor[p];
                    if (cursor[p] < k && parts[p].Rows[at] >= 0 && (best < 0 || parts[p].Distances[at] < parts[best].Distances[(q * k) + cursor[best]]))
                    {
                        best = p;
                    }
                }

                if (best < 0)
                {
                    break;
                }

                var from = (q * k) + cursor[best]++;
                var output = (targets[q] * k) + taken;
                rows[output] = _firstRow[best] + parts[best].Rows[from];
                distances[output] = parts[best].Distances[from];
                neighbors[taken] = new Neighbor(parts[best].Distances[from], taken);
                neighborLabels[taken] = parts[best].Labels[from];
            }

            for (var t = taken; t < k; t++)
            {
                rows[(targets[q] * k) + t] = -1;
                distances[(targets[q] * k) + t] = float.PositiveInfinity;
            }

            labels[targets[q]] = options.Classes > 0
                ? KnnVote.Vote(neighbors.AsSpan(0, taken), neighborLabels.AsSpan(0, taken), options.DistanceWeighted, scores.AsSpan(targets[q] * options.Classes, options.Classes))
                : KnnVote.Vote(neighbors.AsSpan(0, taken), neighborLabels.AsSpan(0, taken), options.DistanceWeighted);
        }
    }

    private static long[] FirstRows(IReadOnlyList<long> partitionRows)
    {
        var first = new long[partitionRows.Count];
        for (var i = 1; i < first.Length; i++)
        {
            first[i] = first[i - 1] + partitionRows[i - 1];
        }

        return first;
    }
}
