using OrleansMl.Data.Statistics;
using static OrleansMl.Data.Tests.Statistics.TestColumns;

namespace OrleansMl.Data.Tests.Statistics;

public sealed class DistinctEstimateTests
{
    [Theory]
    [InlineData(100_000)]
    [InlineData(1_000_000)]
    public void IntegerDistinctCountIsWithinThreePercent(int distinct)
    {
        var values = new long[distinct * 2];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (i % distinct * 7919L) - 50_000;
        }

        var estimate = DatasetSketch.Compute(Batch(Int64("x", values))).Summarize().Columns.Single().DistinctEstimate;

        Assert.InRange(estimate, distinct * 0.97, distinct * 1.03);
    }

    [Theory]
    [InlineData(100_000)]
    [InlineData(1_000_000)]
    public void MergedFloatDistinctCountIsWithinThreePercent(int distinct)
    {
        var random = new Random(6);
        var pool = new double[distinct];
        for (var i = 0; i < pool.Length; i++)
        {
            pool[i] = random.NextDouble() * 1e6;
        }

        // Overlapping parts: every value is in two parts.
        var parts = new DatasetSketch[4];
        for (var p = 0; p < parts.Length; p++)
        {
            var values = new double[distinct / 2];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = pool[((p * distinct / 4) + i) % distinct];
            }

            parts[p] = DatasetSketch.Compute(Batch(Float64("x", values)));
        }

        var estimate = DatasetSketch.Merge(parts).Summarize().Columns.Single().DistinctEstimate;

        Assert.InRange(estimate, distinct * 0.97, distinct * 1.03);
    }

    [Fact]
    public void SmallDistinctCountsAreNearlyExact()
    {
        var values = new double[3_000];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = i % 150 == 0 ? -0.0 : i % 150;
        }

        var estimate = DatasetSketch.Compute(Batch(Float64("x", values))).Summarize().Columns.Single().DistinctEstimate;

        Assert.InRange(estimate, 149, 151);
    }
}
