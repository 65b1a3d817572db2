using OrleansMl.Ml.Knn;
using static OrleansMl.Ml.Tests.Knn.KnnTestData;

namespace OrleansMl.Ml.Tests.Knn;

public sealed class KnnDeterminismTests
{
    [Theory]
    [InlineData(KnnDistance.L2, 784)]
    [InlineData(KnnDistance.L1, 784)]
    [InlineData(KnnDistance.Cosine, 784)]
    [InlineData(KnnDistance.L2, 13)]
    [InlineData(KnnDistance.L1, 5)]
    [InlineData(KnnDistance.Cosine, 21)]
    public void PartitionedSearchMergedIsBitIdenticalToOneIndex(KnnDistance distance, int dimension)
    {
        const int K = 9;
        var vectors = Uniform(20, 1_003, dimension);
        var queries = Uniform(21, 37, dimension);
        var single = Search(new KnnIndex(vectors, dimension, distance), queries, K);

        // Three contiguous parts of awkward sizes, each its own index; merged by (distance, part, row).
        int[] bounds = [0, 337, 701, 1_003];
        var parts = new Neighbor[3][];
        for (var p = 0; p < 3; p++)
        {
            var rows = vectors[(bounds[p] * dimension)..(bounds[p + 1] * dimension)];
            parts[p] = Search(new KnnIndex(rows, dimension, distance), queries, K);
        }

        var merged = new Neighbor[single.Length];
        for (var q = 0; q < queries.Length / dimension; q++)
        {
            var candidates = Enumerable.Range(0, 3)
                .SelectMany(p => parts[p].AsSpan(q * K, K).ToArray().Where(n => n.Index >= 0).Select(n => (n.Distance, Part: p, n.Index)))
                .OrderBy(c => c.Distance).ThenBy(c => c.Part).ThenBy(c => c.Index)
                .Take(K)
                .Select(c => new Neighbor(c.Distance, bounds[c.Part] + c.Index))
                .ToArray();
            candidates.CopyTo(merged, q * K);
        }

        AssertIdentical(single, merged);
    }

    [Theory]
    [InlineData(KnnDistance.L2)]
    [InlineData(KnnDistance.L1)]
    [InlineData(KnnDistance.Cosine)]
    public void QueryBatchSizeDoesNotChangeAnyBit(KnnDistance distance)
    {
        const int Dimension = 100;
        var index = new KnnIndex(Uniform(22, 500, Dimension), Dimension, distance);
        var queries = Uniform(23, 11, Dimension);
        var all = Search(index, queries, 4);

        var oneByOne = new Neighbor[all.Length];
        for (var q = 0; q < 11; q++)
        {
            index.Search(queries.AsSpan(q * Dimension, Dimension), 4, oneByOne.AsSpan(q * 4, 4));
        }

        AssertIdentical(all, oneByOne);
    }

    [Theory]
    [InlineData(KnnDistance.L2, 784, 37, 1_000)] // few queries: threads split the rows
    [InlineData(KnnDistance.Cosine, 784, 700, 1_000)] // many queries: threads split the queries
    [InlineData(KnnDistance.L1, 16, 1_100, 1_000)]
    [InlineData(KnnDistance.L2, 784, 600, 40)] // few rows: threads split the queries in smaller tiles
    [InlineData(KnnDistance.L2, 16, 50, 1_000)] // too little work for threads
    public void ParallelismDoesNotChangeAnyBit(KnnDistance distance, int dimension, int queryCount, int rowCount)
    {
        var index = new KnnIndex(Uniform(24, rowCount, dimension), dimension, distance);
        var queries = Uniform(25, queryCount, dimension);

        var sequential = Search(index, queries, 6, 1);

        AssertIdentical(sequential, Search(index, queries, 6, 2));
        AssertIdentical(sequential, Search(index, queries, 6, 3));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(784)]
    public void EveryBlockShapeComputesAPairWithTheSameBits(int dimension)
    {
        // 7 queries × 11 rows: 4 × 3 blocks, a row against four queries, a query against four rows, and single pairs.
        var queries = Uniform(26, 7, dimension);
        var rows = Uniform(27, 11, dimension);
        var dots = new float[7 * 11];
        var sums = new float[7 * 11];
        PairKernels.Block<DotOp>(ref queries[0], 7, ref rows[0], 11, dimension, ref dots[0], 11);
        PairKernels.Block<AbsoluteDifferenceOp>(ref queries[0], 7, ref rows[0], 11, dimension, ref sums[0], 11);

        for (var q = 0; q < 7; q++)
        {
            for (var r = 0; r < 11; r++)
            {
                var query = queries.AsSpan(q * dimension, dimension);
                var row = rows.AsSpan(r * dimension, dimension);
                Assert.Equal(BitConverter.SingleToInt32Bits(PairKernels.Dot(query, row)), BitConverter.SingleToInt32Bits(dots[(q * 11) + r]));
                Assert.Equal(BitConverter.SingleToInt32Bits(PairKernels.L1(query, row)), BitConverter.SingleToInt32Bits(sums[(q * 11) + r]));
                Assert.Equal(PairKernels.Dot(query, row), PairKernels.Dot(row, query));
            }
        }
    }
}
