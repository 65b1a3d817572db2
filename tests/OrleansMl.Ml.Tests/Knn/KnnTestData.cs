using OrleansMl.Ml.Knn;

namespace OrleansMl.Ml.Tests.Knn;

/// <summary>Random vectors and the comparison of a search with the scalar reference.</summary>
internal static class KnnTestData
{
    /// <summary>Uniform floats in [-1, 1).</summary>
    public static float[] Uniform(int seed, int rows, int dimension)
    {
        var random = new Random(seed);
        var values = new float[rows * dimension];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (random.NextSingle() * 2) - 1;
        }

        return values;
    }

    /// <summary>Small integers in [-3, 3]: every distance is exact in float, so equal distances are real ties.</summary>
    public static float[] SmallIntegers(int seed, int rows, int dimension)
    {
        var random = new Random(seed);
        var values = new float[rows * dimension];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.Next(-3, 4);
        }

        return values;
    }

    public static Neighbor[] Search(KnnIndex index, float[] queries, int k, int maxDegreeOfParallelism = 1)
    {
        var result = new Neighbor[queries.Length / index.Dimension * k];
        index.Search(queries, k, result, maxDegreeOfParallelism);
        return result;
    }

    public static Neighbor[] Reference(float[] vectors, int dimension, KnnDistance distance, float[] queries, int k)
    {
        var result = new Neighbor[queries.Length / dimension * k];
        BruteForceKnn.Search(vectors, dimension, distance, queries, k, result);
        return result;
    }

    /// <summary>
    /// The same neighbours as the reference, distances within 1e-4 (relative above 1). Where the two pick different
    /// rows, the rows must be a near tie: the chosen row's reference distance is within the tolerance too.
    /// </summary>
    public static void AssertMatchesReference(float[] vectors, int dimension, KnnDistance distance, float[] queries, int k, Neighbor[] actual)
    {
        var expected = Reference(vectors, dimension, distance, queries, k);
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i].Index < 0)
            {
                Assert.Equal(new Neighbor(float.PositiveInfinity, -1), actual[i]);
                continue;
            }

            var tolerance = 1e-4f * Math.Max(1, Math.Abs(expected[i].Distance));
            Assert.InRange(actual[i].Distance, expected[i].Distance - tolerance, expected[i].Distance + tolerance);
            if (actual[i].Index != expected[i].Index)
            {
                var query = queries.AsSpan(i / k * dimension, dimension);
                var row = vectors.AsSpan(actual[i].Index * dimension, dimension);
                Assert.InRange(BruteForceKnn.Distance(distance, query, row), expected[i].Distance - tolerance, expected[i].Distance + tolerance);
            }
        }

        for (var q = 0; q < expected.Length / k; q++)
        {
            var found = actual.AsSpan(q * k, k).ToArray().Where(n => n.Index >= 0).Select(n => n.Index).ToArray();
            Assert.Equal(found.Length, found.Distinct().Count());
        }
    }

    /// <summary>Bit-identical distances and identical rows.</summary>
    public static void AssertIdentical(Neighbor[] expected, Neighbor[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Index, actual[i].Index);
            Assert.Equal(BitConverter.SingleToInt32Bits(expected[i].Distance), BitConverter.SingleToInt32Bits(actual[i].Distance));
        }
    }
}
