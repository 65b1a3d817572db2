namespace OrleansMl.Ml.Knn;

/// <summary>One neighbour of a query: its distance and its row in the index (-1 with an infinite distance when there was no row to fill the place).</summary>
public readonly record struct Neighbor(float Distance, int Index);
