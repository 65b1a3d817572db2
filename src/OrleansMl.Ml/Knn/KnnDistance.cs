namespace OrleansMl.Ml.Knn;

/// <summary>The distance a <see cref="KnnIndex"/> ranks rows by.</summary>
public enum KnnDistance
{
    /// <summary>Euclidean distance (the square root of the sum of squared differences).</summary>
    L2,

    /// <summary>Manhattan distance (the sum of absolute differences).</summary>
    L1,

    /// <summary>One minus the cosine similarity; a zero vector has similarity 0 with everything.</summary>
    Cosine,
}
