using OrleansMl.Ml.Knn;

namespace OrleansMl.Knn;

/// <summary>The API names of the k-NN distances: l2, l1, cosine.</summary>
public static class KnnDistances
{
    public static KnnDistance Parse(string name) => name.ToLowerInvariant() switch
    {
        "l2" or "euclidean" => KnnDistance.L2,
        "l1" or "manhattan" => KnnDistance.L1,
        "cosine" => KnnDistance.Cosine,
        _ => throw new ArgumentException($"Unknown distance '{name}'. Distances: l2, l1, cosine."),
    };
}
