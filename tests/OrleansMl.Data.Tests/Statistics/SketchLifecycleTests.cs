using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Statistics;
using static OrleansMl.Data.Tests.Statistics.TestColumns;

namespace OrleansMl.Data.Tests.Statistics;

public sealed class SketchLifecycleTests
{
    [Fact]
    public void BytesRoundTripGivesIdenticalSummariesAndBytes()
    {
        var sketch = DatasetSketch.Compute(Mixed(3_000, seed: 9));
        var bytes = sketch.ToBytes();

        var copy = DatasetSketch.FromBytes(bytes);

        Assert.Equal(bytes, copy.ToBytes());
        Assert.Equal(SummaryJson.Of(sketch.Summarize()), SummaryJson.Of(copy.Summarize()));
        Assert.Equal(sketch.Schema, copy.Schema);
    }

    [Fact]
    public void MergingSketchesThatTravelledAsBytesGivesTheSameResult()
    {
        var parts = Split(Mixed(20_000, seed: 10), 5_000, 15_000);
        var local = DatasetSketch.Compute(parts[0]);
        local.Merge(DatasetSketch.Compute(parts[1]));

        var remote = DatasetSketch.FromBytes(DatasetSketch.Compute(parts[0]).ToBytes());
        remote.Merge(DatasetSketch.FromBytes(DatasetSketch.Compute(parts[1]).ToBytes()));

        Assert.Equal(local.ToBytes(), remote.ToBytes());
    }

    [Fact]
    public void SameInputGivesTheSameOutput()
    {
        var first = DatasetSketch.Compute(Mixed(50_000, seed: 11));
        var second = DatasetSketch.Compute(Mixed(50_000, seed: 11));

        Assert.Equal(first.ToBytes(), second.ToBytes());
        Assert.Equal(SummaryJson.Of(first.Summarize()), SummaryJson.Of(second.Summarize()));
    }

    [Fact]
    public void EmptyBatchGivesZeroCountsAndNullStatistics()
    {
        var empty = ColumnBatch.Empty(Mixed(1, seed: 12).Schema);

        var summary = DatasetSketch.FromBytes(DatasetSketch.Compute(empty).ToBytes()).Summarize();

        Assert.Equal(0, summary.RowCount);
        Assert.All(summary.Columns, AssertEmpty);
        Assert.All(summary.Columns, c => Assert.Equal(0, c.NullCount));
        Assert.Equal(4, summary.Find("v")!.Slots!.Dimension);
    }

    [Fact]
    public void AllNullColumnsGiveZeroCountsAndNullStatistics()
    {
        var nulls = NullsWhere(3, _ => true);
        var batch = Batch(
            Float64("f", [0, 0, 0], nulls),
            Int64("i", [0, 0, 0], nulls),
            Boolean("b", [false, false, false], nulls),
            Text("s", [null, null, null]),
            Vector("v", 2, new float[6], nulls));

        var summary = DatasetSketch.Compute(batch).Summarize();

        Assert.All(summary.Columns, AssertEmpty);
        Assert.All(summary.Columns, c => Assert.Equal(3, c.NullCount));
    }

    [Fact]
    public void MergingAnEmptySketchChangesNothing()
    {
        var batch = Mixed(1_000, seed: 13);
        var sketch = DatasetSketch.Compute(batch);
        var expected = sketch.ToBytes();

        sketch.Merge(DatasetSketch.Compute(ColumnBatch.Empty(batch.Schema)));

        Assert.Equal(SummaryJson.Of(DatasetSketch.FromBytes(expected).Summarize()), SummaryJson.Of(sketch.Summarize()));
    }

    [Fact]
    public void ComputeDescribesOnlyTheChosenColumnsInBatchOrder()
    {
        var batch = Mixed(100, seed: 14);

        var summary = DatasetSketch.Compute(batch, new HashSet<string> { "v", "f" }).Summarize();

        Assert.Equal(["f", "v"], summary.Columns.Select(c => c.Name));
        Assert.Throws<SchemaException>(() => DatasetSketch.Compute(batch, ["nope"]));
    }

    [Fact]
    public void MergeRejectsSketchesOfOtherColumns()
    {
        var a = DatasetSketch.Compute(Mixed(10, seed: 15), ["f"]);
        var b = DatasetSketch.Compute(Mixed(10, seed: 15), ["i"]);

        Assert.Throws<SchemaException>(() => a.Merge(b));
        Assert.Throws<ArgumentException>(() => a.Merge(a));
    }

    [Fact]
    public void FromBytesRejectsTruncatedAndUnknownVersions()
    {
        var bytes = DatasetSketch.Compute(Mixed(100, seed: 16)).ToBytes();

        Assert.Throws<InvalidDataException>(() => DatasetSketch.FromBytes(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Throws<InvalidDataException>(() => DatasetSketch.FromBytes([.. bytes, 0]));
        Assert.Throws<InvalidDataException>(() => DatasetSketch.FromBytes([2, .. bytes.AsSpan(1)]));
        Assert.Throws<InvalidDataException>(() => DatasetSketch.FromBytes([]));
    }

    [Fact]
    public void SummarizeRejectsBadArguments()
    {
        var sketch = DatasetSketch.Compute(Mixed(10, seed: 17));

        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Summarize([1.5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Summarize([double.NaN]));
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Summarize(histogramBins: -1));
        Assert.Null(sketch.Summarize(histogramBins: 0).Find("f")!.Histogram);
    }

    private static void AssertEmpty(ColumnSummary column)
    {
        Assert.Equal(0, column.Count);
        Assert.Equal(0, column.NanCount);
        Assert.Equal(0, column.DistinctEstimate);
        Assert.Null(column.Min);
        Assert.Null(column.Max);
        Assert.Null(column.Mean);
        Assert.Null(column.Std);
        Assert.Null(column.MinLength);
        Assert.Null(column.Histogram);
        Assert.Empty(column.Quantiles);
        Assert.Empty(column.TopValues);
    }
}
