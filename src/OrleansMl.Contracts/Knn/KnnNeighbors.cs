namespace OrleansMl.Knn;

/// <summary>A partition's local top-k for each query: K entries per query, nearest first (row -1 pads when the partition has fewer rows).</summary>
[GenerateSerializer, Immutable, Alias("orleansml.KnnNeighbors")]
public sealed record KnnNeighbors(
    [property: Id(0)] float[] Distances,
    [property: Id(1)] int[] Rows,
    [property: Id(2)] long[] Labels);
