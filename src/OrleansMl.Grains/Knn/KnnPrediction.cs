namespace OrleansMl.Knn;

/// <summary>Predictions for a batch of queries, with the neighbours they came from.</summary>
/// <param name="Labels">The predicted class of each query.</param>
/// <param name="NeighborRows">K per query, nearest first: the neighbour's position in the whole version (partitions in order).</param>
/// <param name="NeighborDistances">K per query, matching <see cref="NeighborRows"/>.</param>
/// <param name="Scores">Row-major queries × classes vote shares, or empty when no class count was given.</param>
public sealed record KnnPrediction(long[] Labels, long[] NeighborRows, float[] NeighborDistances, int K, float[] Scores);
