using OrleansMl.Data.Columns;
using OrleansMl.Data.Statistics;
using static OrleansMl.Data.Tests.Statistics.TestColumns;

namespace OrleansMl.Data.Tests.Statistics;

public sealed class QuantileTests
{
    private static readonly double[] Probabilities = [0.001, 0.01, 0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 0.95, 0.99, 0.999];

    [Theory]
    [InlineData("uniform")]
    [InlineData("lognormal")]
    public void QuantilesOfAMillionValuesAreWithinTwoPercentRank(string distribution)
    {
        var values = Values(distribution, 1_000_000, seed: 3);
        var batch = Batch(Float64("x", values));

        var whole = DatasetSketch.Compute(batch).Summarize(Probabilities).Columns.Single();
        var merged = DatasetSketch.Merge([.. Split(batch, 400_000, 350_000, 250_000).Select(p => DatasetSketch.Compute(p))])
            .Summarize(Probabilities).Columns.Single();

        Array.Sort(values);
        AssertRanks(values, whole);
        AssertRanks(values, merged);
    }

    [Fact]
    public void HistogramOfAMillionValuesIsWithinTwoPercentPerBinAndAddsUp()
    {
        var values = Values("lognormal", 1_000_000, seed: 4);
        var summary = DatasetSketch.Compute(Batch(Float64("x", values))).Summarize(histogramBins: 20).Columns.Single();

        var histogram = summary.Histogram!;
        var exact = new long[20];
        foreach (var value in values)
        {
            var bin = 0;
            while (bin < 19 && value >= histogram.Edges[bin + 1])
            {
                bin++;
            }

            exact[bin]++;
        }

        Assert.Equal(values.Length, histogram.Counts.Sum());
        for (var i = 0; i < exact.Length; i++)
        {
            Assert.True(Math.Abs(exact[i] - histogram.Counts[i]) < 0.02 * values.Length, $"Bin {i}: exact {exact[i]}, sketch {histogram.Counts[i]}.");
        }
    }

    [Fact]
    public void QuantilesZeroAndOneAreTheExactMinAndMax()
    {
        var values = Values("uniform", 100_000, seed: 5);
        var summary = DatasetSketch.Compute(Batch(Float64("x", values))).Summarize([0, 1]).Columns.Single();

        Assert.Equal(values.Min(), summary.Quantiles[0].Value);
        Assert.Equal(values.Max(), summary.Quantiles[1].Value);
    }

    private static void AssertRanks(double[] sorted, ColumnSummary summary)
    {
        Assert.Equal(Probabilities.Length, summary.Quantiles.Count);
        foreach (var quantile in summary.Quantiles)
        {
            var rank = (double)UpperBound(sorted, quantile.Value) / sorted.Length;
            Assert.True(Math.Abs(rank - quantile.Probability) < 0.02, $"q{quantile.Probability} = {quantile.Value} has rank {rank}.");
        }
    }

    private static int UpperBound(double[] sorted, double value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (sorted[mid] <= value)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    private static double[] Values(string distribution, int count, int seed)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = distribution == "uniform"
                ? random.NextDouble()
                : Math.Exp(2 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }

        return values;
    }
}
