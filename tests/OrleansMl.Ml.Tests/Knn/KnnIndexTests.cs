using OrleansMl.Ml.Knn;
using static OrleansMl.Ml.Tests.Knn.KnnTestData;

namespace OrleansMl.Ml.Tests.Knn;

public sealed class KnnIndexTests
{
    [Theory]
    [InlineData(KnnDistance.L2, 1, 784)]
    [InlineData(KnnDistance.L2, 5, 13)]
    [InlineData(KnnDistance.L2, 50, 3)]
    [InlineData(KnnDistance.L1, 1, 13)]
    [InlineData(KnnDistance.L1, 7, 784)]
    [InlineData(KnnDistance.L1, 20, 8)]
    [InlineData(KnnDistance.Cosine, 1, 8)]
    [InlineData(KnnDistance.Cosine, 10, 784)]
    [InlineData(KnnDistance.Cosine, 50, 29)]
    public void SearchFindsTheReferenceNeighbours(KnnDistance distance, int k, int dimension)
    {
        var vectors = Uniform(1, 613, dimension);
        var queries = Uniform(2, 23, dimension);
        var index = new KnnIndex(vectors, dimension, distance);

        AssertMatchesReference(vectors, dimension, distance, queries, k, Search(index, queries, k));
    }

    [Theory]
    [InlineData(KnnDistance.L2)]
    [InlineData(KnnDistance.L1)]
    [InlineData(KnnDistance.Cosine)]
    public void FewerRowsThanKLeavesInfiniteTail(KnnDistance distance)
    {
        var vectors = Uniform(3, 3, 10);
        var queries = Uniform(4, 5, 10);

        var result = Search(new KnnIndex(vectors, 10, distance), queries, 5);

        AssertMatchesReference(vectors, 10, distance, queries, 5, result);
        for (var q = 0; q < 5; q++)
        {
            Assert.Equal(new[] { 0, 1, 2 }, result.AsSpan(q * 5, 3).ToArray().Select(n => n.Index).Order());
            Assert.Equal(new Neighbor(float.PositiveInfinity, -1), result[(q * 5) + 3]);
            Assert.Equal(new Neighbor(float.PositiveInfinity, -1), result[(q * 5) + 4]);
        }
    }

    [Fact]
    public void AnEmptyIndexFindsNothing()
    {
        var result = Search(new KnnIndex([], 4, KnnDistance.L2), Uniform(5, 2, 4), 3);

        Assert.All(result, n => Assert.Equal(new Neighbor(float.PositiveInfinity, -1), n));
    }

    [Theory]
    [InlineData(KnnDistance.L2, 6)]
    [InlineData(KnnDistance.L1, 6)]
    [InlineData(KnnDistance.L2, 17)]
    [InlineData(KnnDistance.L1, 17)]
    public void TiesGoToTheLowerRowExactlyAsTheReference(KnnDistance distance, int dimension)
    {
        // Rows drawn from a few prototypes: many duplicates, and on integer data many exact ties between distinct rows.
        var prototypes = SmallIntegers(6, 40, dimension);
        var random = new Random(7);
        var vectors = new float[500 * dimension];
        for (var r = 0; r < 500; r++)
        {
            prototypes.AsSpan(random.Next(40) * dimension, dimension).CopyTo(vectors.AsSpan(r * dimension));
        }

        var queries = SmallIntegers(8, 31, dimension);
        var index = new KnnIndex(vectors, dimension, distance);

        foreach (var k in new[] { 1, 7, 30 })
        {
            // Integer data: both compute every distance exactly, so the lists are identical, ties and all.
            var result = Search(index, queries, k);
            AssertIdentical(Reference(vectors, dimension, distance, queries, k), result);
            for (var i = 1; i < result.Length; i++)
            {
                if (i % k != 0 && result[i].Distance == result[i - 1].Distance)
                {
                    Assert.True(result[i].Index > result[i - 1].Index);
                }
            }
        }
    }

    [Fact]
    public void ARowEqualToTheQueryIsAtDistanceZero()
    {
        var vectors = Uniform(9, 100, 37);
        var queries = vectors.AsSpan(42 * 37, 37).ToArray();

        foreach (var distance in new[] { KnnDistance.L2, KnnDistance.L1 })
        {
            Assert.Equal(new Neighbor(0, 42), Search(new KnnIndex(vectors, 37, distance), queries, 1)[0]);
        }

        Assert.Equal(42, Search(new KnnIndex(vectors, 37, KnnDistance.Cosine), queries, 1)[0].Index);
    }

    [Fact]
    public void AZeroVectorHasCosineSimilarityZero()
    {
        var vectors = Uniform(10, 20, 9);
        vectors.AsSpan(5 * 9, 9).Clear();
        var index = new KnnIndex(vectors, 9, KnnDistance.Cosine);

        var fromZero = Search(index, new float[9], 20);
        Assert.Equal(Enumerable.Range(0, 20), fromZero.Select(n => n.Index));
        Assert.All(fromZero, n => Assert.Equal(1f, n.Distance));

        var queries = Uniform(11, 4, 9);
        var result = Search(index, queries, 20);
        AssertMatchesReference(vectors, 9, KnnDistance.Cosine, queries, 20, result);
        Assert.All(result.Where(n => n.Index == 5), n => Assert.Equal(1f, n.Distance));
    }

    [Fact]
    public void RowsAtNaNDistanceAreNeverNeighbours()
    {
        var vectors = Uniform(12, 6, 4);
        vectors[(2 * 4) + 1] = float.NaN;

        var result = Search(new KnnIndex(vectors, 4, KnnDistance.L2), Uniform(13, 1, 4), 6);

        Assert.DoesNotContain(result, n => n.Index == 2);
        Assert.Equal(new Neighbor(float.PositiveInfinity, -1), result[5]);
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new KnnIndex(new float[10], 3, KnnDistance.L2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KnnIndex(new float[9], 0, KnnDistance.L2));
        var index = new KnnIndex(new float[9], 3, KnnDistance.L2);
        Assert.Throws<ArgumentException>(() => index.Search(new float[4], 1, new Neighbor[2]));
        Assert.Throws<ArgumentException>(() => index.Search(new float[6], 2, new Neighbor[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(new float[3], 0, new Neighbor[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(new float[3], 1, new Neighbor[1], 0));
    }
}
