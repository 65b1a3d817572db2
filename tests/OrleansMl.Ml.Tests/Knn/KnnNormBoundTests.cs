using OrleansMl.Ml.Knn;
using static OrleansMl.Ml.Tests.Knn.KnnTestData;

namespace OrleansMl.Ml.Tests.Knn;

/// <summary>
/// The L2 scan by norm skips rows whose norm alone puts them beyond a query's k-th distance. It must find exactly what a
/// scan of every row finds (the same rows, the same bits, ties to the lower row), and it must skip.
/// </summary>
public sealed class KnnNormBoundTests
{
    [Theory]
    [InlineData(784, 5)]
    [InlineData(13, 1)]
    [InlineData(13, 30)]
    [InlineData(3, 7)]
    public void AScanByNormSkipsRowsAndFindsWhatAScanOfEveryRowFinds(int dimension, int k)
    {
        var vectors = Clustered(31, 3_000, dimension);
        var queries = Clustered(32, 300, dimension);
        var index = new KnnIndex(vectors, dimension, KnnDistance.L2);

        var byNorm = Search(index, queries, k);

        var pairs = index.PairsComputed;
        Assert.True(pairs < 300L * 3_000 / 2, $"{pairs:N0} of {300L * 3_000:N0} pairs computed");
        AssertIdentical(ScanEveryRow(index, queries, k), byNorm);
        AssertIdentical(byNorm, Scan(index, queries, k));
        AssertIdentical(byNorm, Search(index, queries, k, maxDegreeOfParallelism: 2));
        AssertMatchesReference(vectors, dimension, KnnDistance.L2, queries, k, byNorm);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(17)]
    public void TiesBetweenRowsOfEqualNormGoToTheLowerRow(int dimension)
    {
        // Integer prototypes times integer factors, many rows each: distances are exact, so equal distances are real ties,
        // and the rows tied sit anywhere in the norm order.
        var prototypes = SmallIntegers(33, 30, dimension);
        var random = new Random(34);
        var vectors = new float[2_000 * dimension];
        for (var r = 0; r < 2_000; r++)
        {
            var factor = random.Next(1, 5);
            var prototype = prototypes.AsSpan(random.Next(30) * dimension, dimension);
            for (var i = 0; i < dimension; i++)
            {
                vectors[(r * dimension) + i] = prototype[i] * factor;
            }
        }

        var queries = vectors[(500 * dimension)..(560 * dimension)];
        var index = new KnnIndex(vectors, dimension, KnnDistance.L2);
        foreach (var k in new[] { 1, 7, 40 })
        {
            var before = index.PairsComputed;
            var byNorm = Search(index, queries, k);
            Assert.True(index.PairsComputed - before < 60L * 2_000, $"k={k}: every pair computed");
            AssertIdentical(Reference(vectors, dimension, KnnDistance.L2, queries, k), byNorm);
            AssertIdentical(byNorm, Scan(index, queries, k));
        }
    }

    [Fact]
    public void RowsAndQueriesOfInfiniteOrNaNNormChangeNothingForTheOthers()
    {
        const int Dimension = 9;
        var vectors = Clustered(35, 800, Dimension);
        vectors[(10 * Dimension) + 2] = float.NaN;
        vectors[(20 * Dimension) + 3] = float.PositiveInfinity;
        vectors[(30 * Dimension) + 4] = 1e30f; // its squared norm overflows to +∞
        var queries = Clustered(36, 40, Dimension);
        queries[(5 * Dimension) + 1] = float.NaN;
        queries[(6 * Dimension) + 1] = float.NegativeInfinity;
        var index = new KnnIndex(vectors, Dimension, KnnDistance.L2);

        var byNorm = Search(index, queries, 5);

        AssertIdentical(ScanEveryRow(index, queries, 5), byNorm);
        AssertIdentical(byNorm, Scan(index, queries, 5));
        Assert.DoesNotContain(byNorm, n => n.Index is 10 or 20 or 30);
        Assert.All(byNorm.AsSpan(5 * 5, 5).ToArray(), n => Assert.Equal(new Neighbor(float.PositiveInfinity, -1), n));
    }

    [Fact]
    public void OneQueryAtATimeFindsWhatABatchFinds()
    {
        var vectors = Clustered(37, 2_000, 40);
        var queries = Clustered(38, 25, 40);
        var index = new KnnIndex(vectors, 40, KnnDistance.L2);
        var batch = Search(index, queries, 3);

        for (var q = 0; q < 25; q++)
        {
            AssertIdentical(batch[(q * 3)..((q + 1) * 3)], Search(index, queries[(q * 40)..((q + 1) * 40)], 3));
        }
    }

    /// <summary>Rows around 25 centres of very different norms (scales from e⁻² to e²), with noise a tenth of the centre's scale.</summary>
    private static float[] Clustered(int seed, int rows, int dimension)
    {
        var centres = new Random(99);
        var scales = Enumerable.Range(0, 25).Select(_ => MathF.Exp((centres.NextSingle() * 4) - 2)).ToArray();
        var centre = Uniform(98, 25, dimension);
        var random = new Random(seed);
        var values = new float[rows * dimension];
        for (var r = 0; r < rows; r++)
        {
            var c = random.Next(25);
            for (var i = 0; i < dimension; i++)
            {
                values[(r * dimension) + i] = scales[c] * (centre[(c * dimension) + i] + (0.1f * ((random.NextSingle() * 2) - 1)));
            }
        }

        return values;
    }

    /// <summary>A scan by norm of the queries in their own order (<see cref="KnnIndex.Search"/> sorts them by norm first).</summary>
    private static Neighbor[] Scan(KnnIndex index, float[] queries, int k)
    {
        var result = new Neighbor[queries.Length / index.Dimension * k];
        new KnnScan(index, k, queries.Length / index.Dimension).Run(queries, result, 0, index.Count);
        return result;
    }

    /// <summary>Every pair computed: the two halves of the scan order scanned whole, merged.</summary>
    private static Neighbor[] ScanEveryRow(KnnIndex index, float[] queries, int k)
    {
        var count = queries.Length / index.Dimension;
        var half = index.Count / 2;
        var parts = new[] { new Neighbor[count * k], new Neighbor[count * k] };
        new KnnScan(index, k, count).Run(queries, parts[0], 0, half);
        new KnnScan(index, k, count).Run(queries, parts[1], half, index.Count);
        var result = new Neighbor[count * k];
        for (var q = 0; q < count; q++)
        {
            NeighborList.Merge(parts, q * k, result.AsSpan(q * k, k));
        }

        return result;
    }
}
