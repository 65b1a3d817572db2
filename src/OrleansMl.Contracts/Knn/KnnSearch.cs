namespace OrleansMl.Knn;

/// <summary>
/// A batch of k-NN queries against one partition: the vectors of <see cref="FeatureColumn"/> are the
/// index, <see cref="LabelColumn"/> (int64) gives each row's class.
/// </summary>
/// <param name="Queries">Row-major, <see cref="Dimension"/> floats per query.</param>
/// <param name="Distance">l2, l1 or cosine.</param>
[GenerateSerializer, Immutable, Alias("orleansml.KnnSearch")]
public sealed record KnnSearch(
    [property: Id(0)] string FeatureColumn,
    [property: Id(1)] string LabelColumn,
    [property: Id(2)] float[] Queries,
    [property: Id(3)] int Dimension,
    [property: Id(4)] int K,
    [property: Id(5)] string Distance);
