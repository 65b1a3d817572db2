namespace OrleansMl.Ml.Knn;

/// <summary>
/// The reference k-NN: plain scalar float loops on one thread, every distance by its textbook formula,
/// then the k smallest by (distance, index). Slow and obviously right; for tests and benchmarks.
/// </summary>
public static class BruteForceKnn
{
    /// <summary>The same contract as <see cref="KnnIndex.Search"/>, over <paramref name="vectors"/> (row-major, <paramref name="dimension"/> floats a row).</summary>
    public static void Search(ReadOnlySpan<float> vectors, int dimension, KnnDistance distance, ReadOnlySpan<float> queries, int k, Span<Neighbor> result)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (vectors.Length % dimension != 0 || queries.Length % dimension != 0)
        {
            throw new ArgumentException($"The vectors ({vectors.Length} floats) and queries ({queries.Length}) must be whole {dimension}-long rows.");
        }

        var rows = vectors.Length / dimension;
        var count = queries.Length / dimension;
        if (result.Length < count * k)
        {
            throw new ArgumentException($"The result holds {result.Length} neighbours; {count * k} are needed.", nameof(result));
        }

        var distances = new float[rows];
        for (var q = 0; q < count; q++)
        {
            var query = queries.Slice(q * dimension, dimension);
            for (var r = 0; r < rows; r++)
            {
                distances[r] = Distance(distance, query, vectors.Slice(r * dimension, dimension));
            }

            // The i-th neighbour is the smallest (distance, index) after the (i-1)-th.
            var previous = new Neighbor(float.NegativeInfinity, -1);
            for (var i = 0; i < k; i++)
            {
                var best = new Neighbor(float.PositiveInfinity, -1);
                for (var r = 0; r < rows; r++)
                {
                    var candidate = new Neighbor(distances[r], r);
                    if (!float.IsNaN(candidate.Distance) && Before(previous, candidate) && (best.Index < 0 || Before(candidate, best)))
                    {
                        best = candidate;
                    }
                }

                result[(q * k) + i] = best;
                previous = best.Index < 0 ? new Neighbor(float.PositiveInfinity, int.MaxValue) : best;
            }
        }
    }

    /// <summary>The distance of one pair by its textbook formula.</summary>
    public static float Distance(KnnDistance distance, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float sum = 0;
        switch (distance)
        {
            case KnnDistance.L2:
                for (var i = 0; i < a.Length; i++)
                {
                    var difference = a[i] - b[i];
                    sum += difference * difference;
                }

                return MathF.Sqrt(sum);
            case KnnDistance.L1:
                for (var i = 0; i < a.Length; i++)
                {
                    sum += MathF.Abs(a[i] - b[i]);
                }

                return sum;
            default:
                float aa = 0;
                float bb = 0;
                for (var i = 0; i < a.Length; i++)
                {
                    sum += a[i] * b[i];
                    aa += a[i] * a[i];
                    bb += b[i] * b[i];
                }

                var similarity = aa > 0 && bb > 0 ? sum / (MathF.Sqrt(aa) * MathF.Sqrt(bb)) : 0;
                return MathF.Max(1 - similarity, 0);
        }
    }

    private static bool Before(Neighbor a, Neighbor b) => a.Distance < b.Distance || (a.Distance == b.Distance && a.Index < b.Index);
}
