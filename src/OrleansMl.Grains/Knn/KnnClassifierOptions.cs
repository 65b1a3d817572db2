namespace OrleansMl.Knn;

/// <summary>The hyperparameters of the exact k-NN classifier, and how queries are batched.</summary>
/// <param name="Distance">l2, l1 or cosine.</param>
/// <param name="DistanceWeighted">Votes weighted by 1/distance instead of one vote per neighbour.</param>
/// <param name="QueryBatch">Queries per fan-out round (bounds message size: 1,000 × 784 floats ≈ 3 MB).</param>
/// <param name="Classes">When above 0, each query also gets its class vote shares (labels 0 .. Classes-1).</param>
public sealed record KnnClassifierOptions(
    string FeatureColumn = "features",
    string LabelColumn = "label",
    int K = 5,
    string Distance = "l2",
    bool DistanceWeighted = false,
    int QueryBatch = 1000,
    int Classes = 0);
