using OrleansMl.Data.Columns;
using OrleansMl.Data.Statistics;
using static OrleansMl.Data.Tests.Statistics.TestColumns;

namespace OrleansMl.Data.Tests.Statistics;

public sealed class VectorStatisticsTests
{
    private const int Rows = 2_000;
    private const int Dimension = 9;

    [Fact]
    public void SlotStatisticsEqualExactValuesWholeAndMerged()
    {
        var (batch, exact) = Data();

        var whole = DatasetSketch.Compute(batch).Summarize().Columns.Single();
        var merged = DatasetSketch.Merge([.. Split(batch, 700, 1, 1_299).Select(p => DatasetSketch.Compute(p))]).Summarize().Columns.Single();

        foreach (var summary in new[] { whole, merged })
        {
            var slots = summary.Slots!;
            Assert.Equal(Dimension, slots.Dimension);
            for (var j = 0; j < Dimension; j++)
            {
                Assert.Equal(exact.Count[j], slots.Count[j]);
                Assert.Equal(exact.Min[j], slots.Min[j]);
                Assert.Equal(exact.Max[j], slots.Max[j]);
                AssertClose(exact.Mean[j], slots.Mean[j], 1e-13);
                AssertClose(exact.Std[j], slots.Std[j], 1e-9);
            }
        }
    }

    [Fact]
    public void ElementStatisticsCoverEveryNonNullNonNaNElement()
    {
        var (batch, exact) = Data();

        var summary = DatasetSketch.Compute(batch).Summarize().Columns.Single();

        Assert.Equal(exact.Count.Sum(), summary.Count);
        Assert.Equal(exact.NullRows, summary.NullCount);
        Assert.Equal(exact.NanCount, summary.NanCount);
        Assert.Equal(exact.Min.Min(), summary.Min);
        Assert.Equal(exact.Max.Max(), summary.Max);
        AssertClose(exact.AllMean, summary.Mean!.Value, 1e-12);
        AssertClose(exact.AllStd, summary.Std!.Value, 1e-9);
        Assert.Equal(summary.Count, summary.Histogram!.Counts.Sum());
        Assert.InRange(summary.DistinctEstimate, exact.Distinct * 0.97, exact.Distinct * 1.03);
    }

    [Fact]
    public void ConstantSlotHasZeroStdAndEmptySlotIsNaN()
    {
        float[] values = [1, float.NaN, 1, float.NaN, 1, float.NaN, 5, 5];
        var summary = DatasetSketch.Compute(Batch(Vector("v", 2, values, NullsWhere(4, i => i == 3)))).Summarize().Columns.Single();

        var slots = summary.Slots!;
        Assert.Equal(new[] { 3L, 0L }, slots.Count.ToArray());
        Assert.Equal(new[] { 1.0, double.NaN }, slots.Mean.ToArray());
        Assert.Equal(new[] { 0.0, double.NaN }, slots.Std.ToArray());
        Assert.Equal(new[] { 1.0, double.NaN }, slots.Min.ToArray());
        Assert.Equal(new[] { 1.0, double.NaN }, slots.Max.ToArray());
        Assert.Equal((3, 3, 1, 1.0, 0.0), (summary.Count, summary.NanCount, summary.NullCount, summary.Mean, summary.Std));
    }

    private static (ColumnBatch Batch, Exact Exact) Data()
    {
        var random = new Random(8);
        var values = new float[Rows * Dimension];
        for (var i = 0; i < values.Length; i++)
        {
            var slot = i % Dimension;
            // Slot 0 sits far from zero with a small spread, which breaks naive sum-of-squares variance.
            values[i] = slot == 0 ? 100_000f + (float)random.NextDouble() : (float)((random.NextDouble() - 0.3) * slot * 10);
            if (random.Next(500) == 0)
            {
                values[i] = float.NaN;
            }
        }

        var nulls = NullsWhere(Rows, r => r % 10 == 3);
        return (Batch(Vector("v", Dimension, values, nulls)), Exact.Of(values, nulls!));
    }

    private static void AssertClose(double expected, double actual, double relative) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(1, Math.Abs(expected)), $"Expected {expected:R}, got {actual:R}.");

    private sealed record Exact(long[] Count, double[] Mean, double[] Std, double[] Min, double[] Max, long NullRows, long NanCount, double AllMean, double AllStd, int Distinct)
    {
        public static Exact Of(float[] values, NullMask nulls)
        {
            var perSlot = new List<double>[Dimension];
            var all = new List<double>();
            long nullRows = 0, nans = 0;
            for (var j = 0; j < Dimension; j++)
            {
                perSlot[j] = [];
            }

            for (var r = 0; r < Rows; r++)
            {
                if (nulls[r])
                {
                    nullRows++;
                    continue;
                }

                for (var j = 0; j < Dimension; j++)
                {
                    var value = values[(r * Dimension) + j];
                    if (float.IsNaN(value))
                    {
                        nans++;
                        continue;
                    }

                    perSlot[j].Add(value);
                    all.Add(value);
                }
            }

            return new Exact(
                [.. perSlot.Select(s => (long)s.Count)],
                [.. perSlot.Select(s => s.Average())],
                [.. perSlot.Select(SampleStd)],
                [.. perSlot.Select(s => s.Min())],
                [.. perSlot.Select(s => s.Max())],
                nullRows,
                nans,
                all.Average(),
                SampleStd(all),
                all.Distinct().Count());
        }

        private static double SampleStd(List<double> values)
        {
            var mean = values.Average();
            return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        }
    }
}
