using OrleansMl.Data.Schema;
using OrleansMl.Data.Statistics;
using static OrleansMl.Data.Tests.Statistics.TestColumns;

namespace OrleansMl.Data.Tests.Statistics;

public sealed class TextStatisticsTests
{
    [Fact]
    public void TopValuesAreExactMostFrequentFirstWithTiesInOrdinalOrder()
    {
        var values = new List<string?>();
        for (var v = 0; v < 15; v++)
        {
            for (var n = 0; n < 100 - (v * 5) - (v == 3 ? 5 : 0); n++)
            {
                values.Add($"v{v:D2}");
            }
        }

        values.AddRange([null, null, "", "a much longer value"]);
        var summary = DatasetSketch.Compute(Batch(Text("c", [.. values], ColumnType.Categorical))).Summarize().Columns.Single();

        Assert.True(summary.TopValuesComplete);
        Assert.Equal(10, summary.TopValues.Count);
        Assert.Equal(new ValueCount("v00", 100), summary.TopValues[0]);
        Assert.Equal([new ValueCount("v03", 80), new ValueCount("v04", 80)], summary.TopValues.Skip(3).Take(2));
        Assert.Equal(17, summary.DistinctEstimate);
        Assert.Equal(values.Count - 2, summary.Count);
        Assert.Equal(2, summary.NullCount);
        Assert.Equal((0, 19), (summary.MinLength, summary.MaxLength));
        Assert.Null(summary.Mean);
        Assert.Null(summary.Histogram);
    }

    [Fact]
    public void MoreThanAThousandDistinctValuesReportNoTopValues()
    {
        var values = new string?[5_000];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = $"id-{i % 1001}";
        }

        var summary = DatasetSketch.Compute(Batch(Text("s", values))).Summarize().Columns.Single();

        Assert.False(summary.TopValuesComplete);
        Assert.Empty(summary.TopValues);
        Assert.InRange(summary.DistinctEstimate, 981, 1021);
    }

    [Fact]
    public void MergedPartsKeepExactTopValuesUntilTheUnionPassesAThousand()
    {
        var overlapping = Merge(Part(0, 600), Part(300, 600));
        Assert.True(overlapping.TopValuesComplete);
        Assert.Equal(900, overlapping.DistinctEstimate);
        Assert.Equal(new ValueCount("k-00300", 4), overlapping.TopValues[0]);
        Assert.Equal(2 * 600 * 2, overlapping.Count);

        var disjoint = Merge(Part(0, 600), Part(600, 600));
        Assert.False(disjoint.TopValuesComplete);
        Assert.Empty(disjoint.TopValues);
        Assert.InRange(disjoint.DistinctEstimate, 1176, 1224);
    }

    private static DatasetSketch Part(int first, int distinct)
    {
        var values = new string?[distinct * 2];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = $"k-{first + (i % distinct):D5}";
        }

        return DatasetSketch.Compute(Batch(Text("s", values)));
    }

    private static ColumnSummary Merge(DatasetSketch a, DatasetSketch b) => DatasetSketch.Merge([a, b]).Summarize().Columns.Single();
}
