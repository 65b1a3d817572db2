using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Statistics;
using static OrleansMl.Data.Tests.Statistics.TestColumns;

namespace OrleansMl.Data.Tests.Statistics;

public sealed class NumericStatisticsTests
{
    [Fact]
    public void MergedPartsGiveTheExactStatisticsOfTheWhole()
    {
        var batch = Mixed(10_000, seed: 1);
        var whole = DatasetSketch.Compute(batch).Summarize();
        var parts = Split(batch, 3_000, 1, 4_999, 2_000);
        var merged = DatasetSketch.Merge([.. parts.Select(p => DatasetSketch.Compute(p))]).Summarize();

        Assert.Equal(10_000, merged.RowCount);
        foreach (var name in new[] { "f", "i", "t", "b", "v" })
        {
            var expected = whole.Find(name)!;
            var actual = merged.Find(name)!;
            Assert.Equal(expected.Count, actual.Count);
            Assert.Equal(expected.NullCount, actual.NullCount);
            Assert.Equal(expected.NanCount, actual.NanCount);
            Assert.Equal(expected.Min, actual.Min);
            Assert.Equal(expected.Max, actual.Max);
            AssertClose(expected.Mean!.Value, actual.Mean!.Value, 1e-12);
            AssertClose(expected.Std!.Value, actual.Std!.Value, 1e-12);
        }
    }

    [Fact]
    public void Float64StatisticsMatchATwoPassComputationAndSkipNullsAndNaN()
    {
        var batch = Mixed(5_000, seed: 2);
        var column = (Float64Column)batch["f"];
        var valid = new List<double>();
        long nulls = 0, nans = 0;
        for (var i = 0; i < column.Length; i++)
        {
            if (column.IsNull(i))
            {
                nulls++;
            }
            else if (double.IsNaN(column.Values[i]))
            {
                nans++;
            }
            else
            {
                valid.Add(column.Values[i]);
            }
        }

        var mean = valid.Average();
        var std = Math.Sqrt(valid.Sum(v => (v - mean) * (v - mean)) / (valid.Count - 1));

        var summary = DatasetSketch.Compute(batch, ["f"]).Summarize().Columns.Single();

        Assert.Equal(valid.Count, summary.Count);
        Assert.Equal(nulls, summary.NullCount);
        Assert.Equal(nans, summary.NanCount);
        Assert.True(nulls > 0 && nans > 0);
        Assert.Equal(valid.Min(), summary.Min);
        Assert.Equal(valid.Max(), summary.Max);
        AssertClose(mean, summary.Mean!.Value, 1e-12);
        AssertClose(std, summary.Std!.Value, 1e-12);
    }

    [Fact]
    public void BooleansCountAsZeroAndOneAndTimestampsAsMicroseconds()
    {
        var batch = Batch(
            Boolean("b", [true, false, true, true], NullsWhere(4, i => i == 2)),
            Int64("t", [1_000_000, 3_000_000, 0, 2_000_000], NullsWhere(4, i => i == 2), ColumnType.Timestamp));

        var summary = DatasetSketch.Compute(batch).Summarize();

        var b = summary.Find("b")!;
        Assert.Equal((3, 1, 0.0, 1.0, 2.0 / 3, 2), (b.Count, b.NullCount, b.Min!.Value, b.Max!.Value, b.Mean!.Value, b.DistinctEstimate));
        var t = summary.Find("t")!;
        Assert.Equal((ColumnType.Timestamp, 1_000_000.0, 3_000_000.0, 2_000_000.0, 1_000_000.0), (t.Type, t.Min!.Value, t.Max!.Value, t.Mean!.Value, t.Std!.Value));
    }

    [Fact]
    public void HistogramOfFewValuesIsExactAndCountsAddUpToTheCount()
    {
        var values = new long[100];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = i;
        }

        var summary = DatasetSketch.Compute(Batch(Int64("x", values))).Summarize(histogramBins: 10).Columns.Single();

        var histogram = summary.Histogram!;
        Assert.Equal(11, histogram.Edges.Length);
        Assert.Equal(0, histogram.Edges[0]);
        Assert.Equal(99, histogram.Edges[^1]);
        Assert.Equal(new long[] { 10, 10, 10, 10, 10, 10, 10, 10, 10, 10 }, histogram.Counts.ToArray());
    }

    [Fact]
    public void ConstantColumnHasOneBinAndZeroStd()
    {
        var summary = DatasetSketch.Compute(Batch(Float64("x", [4, 4, 4]))).Summarize().Columns.Single();

        Assert.Equal(0, summary.Std);
        Assert.Equal(new[] { 4.0, 4.0 }, summary.Histogram!.Edges.ToArray());
        Assert.Equal(new[] { 3L }, summary.Histogram.Counts.ToArray());
        Assert.All(summary.Quantiles, q => Assert.Equal(4, q.Value));
    }

    private static void AssertClose(double expected, double actual, double relative) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(1, Math.Abs(expected)), $"Expected {expected:R}, got {actual:R}.");
}
