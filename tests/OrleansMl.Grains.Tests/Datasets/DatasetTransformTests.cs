using System.Text.Json;
using OrleansMl.Datasets;

namespace OrleansMl.Grains.Tests.Datasets;

[Collection(DatasetClusterCollection.Name)]
public sealed class DatasetTransformTests(DatasetClusterFixture fixture)
{
    private async Task<IDatasetGrain> ImportAsync(int rows = 9_000, int partitions = 3)
    {
        var (grain, operation) = await fixture.ImportAsync(DatasetClusterFixture.NewName(),
            new ImportRequest(new DatasetSource(fixture.WriteCsv(rows)), Options: new ImportOptions(Partitions: partitions)));
        Assert.Equal(DatasetOperation.Succeeded, operation.State);
        return grain;
    }

    private static async Task<DatasetOperation> TransformAsync(IDatasetGrain grain, params TransformStep[] steps) =>
        await DatasetClusterFixture.WaitAsync(grain, await grain.StartTransformAsync(new TransformRequest(steps)));

    private static async Task<JsonElement> ColumnAsync(IDatasetGrain grain, string column, int? version = null)
    {
        using var summary = JsonDocument.Parse(await grain.DescribeAsync(version, [column]));
        return summary.RootElement.GetProperty("columns")[0].Clone();
    }

    [Fact]
    public async Task CategoriesOverEveryPartitionAreCappedNotJustEachPartitions()
    {
        var grain = await ImportAsync(rows: 12_000, partitions: 2); // 'note' is unique per row: 6,000 values in each partition, 12,000 in all

        var operation = await TransformAsync(grain, new TransformStep("one_hot", Column: "note"));

        Assert.Equal(DatasetOperation.Failed, operation.State);
        Assert.Contains($"Column 'note' has 12000 distinct values over its partitions; at most {DatasetGrain.MaxCategories}", operation.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StepsProduceANewVersionWithResolvedLineage()
    {
        var grain = await ImportAsync();
        var operation = await TransformAsync(grain,
            new TransformStep("filter", Expression: "x >= 1000 and \"group\" in ('a', 'b') and not flag"),
            new TransformStep("derive", Output: "x2", Expression: "x * 2 + 1"),
            new TransformStep("normalize", Columns: ["x"], Method: "zscore"),
            new TransformStep("one_hot", Column: "group"),
            new TransformStep("assemble", Columns: ["x", "x2", "group_onehot"], Output: "features"),
            new TransformStep("drop", Columns: ["note"]),
            new TransformStep("rename", Names: new Dictionary<string, string> { ["id"] = "row_id" }));

        Assert.Equal(DatasetOperation.Succeeded, operation.State);
        var info = (await grain.GetAsync())!;
        var version = info.Versions[^1];
        Assert.Equal(2, version.Version);
        Assert.Equal(1, version.Lineage.ParentVersion);
        Assert.Equal(7, version.Lineage.Steps.Count);
        Assert.NotNull(version.Lineage.Steps[2].Resolved);
        Assert.Equal(["row_id", "x", "group", "flag", "x2", "group_onehot", "features"], version.Columns.Select(c => c.Name));
        Assert.Equal(4, version.Columns[^1].VectorLength); // x, x2 and one_hot over the two groups left after the filter

        // Rows kept: id >= 2000 (x = id / 2), id % 3 in {0, 1}, id odd (flag is false).
        var expected = Enumerable.Range(2000, 7000).Count(i => i % 3 != 2 && i % 2 == 1);
        Assert.Equal(expected, version.RowCount);
        var x = await ColumnAsync(grain, "x");
        Assert.Equal(0, x.GetProperty("mean").GetDouble(), 9);
        Assert.Equal(1, x.GetProperty("std").GetDouble(), 6);
        var x2 = await ColumnAsync(grain, "x2");
        Assert.Equal(Enumerable.Range(2000, 7000).Where(i => i % 3 != 2 && i % 2 == 1).Average(i => (i * 0.5 * 2) + 1), x2.GetProperty("mean").GetDouble(), 6);
    }

    [Fact]
    public async Task ToKeyNumbersCategoriesInSortedOrderAndMinMaxScalesToUnitRange()
    {
        var grain = await ImportAsync(3_000);
        var operation = await TransformAsync(grain,
            new TransformStep("to_key", Column: "group", Output: "group_key"),
            new TransformStep("normalize", Columns: ["id"], Method: "minmax"));
        Assert.Equal(DatasetOperation.Succeeded, operation.State);

        var rows = JsonDocument.Parse((await grain.HeadAsync(null, 3)).RowsJson).RootElement;
        Assert.Equal([0, 1, 2], rows.EnumerateArray().Select(r => r.GetProperty("group_key").GetInt64()));
        var id = await ColumnAsync(grain, "id");
        Assert.Equal(0, id.GetProperty("min").GetDouble(), 12);
        Assert.Equal(1, id.GetProperty("max").GetDouble(), 12);
    }

    [Fact]
    public async Task UserDefinedTransformRunsOnEveryPartition()
    {
        var grain = await ImportAsync(3_000);
        var operation = await TransformAsync(grain, new TransformStep("udf", Name: "square", Args: new Dictionary<string, string> { ["column"] = "x" }));

        Assert.Equal(DatasetOperation.Succeeded, operation.State);
        var squared = await ColumnAsync(grain, "x_squared");
        Assert.Equal(Enumerable.Range(0, 3000).Average(i => i * 0.5 * i * 0.5), squared.GetProperty("mean").GetDouble(), 3);
    }

    [Fact]
    public async Task InvalidStepsAreRejectedBeforeAnyWorkWithTheirPosition()
    {
        var grain = await ImportAsync(100, 1);
        var unknownColumn = await Assert.ThrowsAsync<ArgumentException>(() =>
            grain.StartTransformAsync(new TransformRequest([new TransformStep("select", Columns: ["id"]), new TransformStep("filter", Expression: "x > 1")])));
        Assert.StartsWith("steps[1]:", unknownColumn.Message, StringComparison.Ordinal);
        Assert.Contains("Unknown column 'x'", unknownColumn.Message, StringComparison.Ordinal);
        Assert.Equal("steps", FieldError.FieldOf(unknownColumn));

        var mismatch = await Assert.ThrowsAsync<ArgumentException>(() => grain.StartTransformAsync(new TransformRequest([new TransformStep("derive", Output: "y", Expression: "note + 1")])));
        Assert.Contains("position 5", mismatch.Message, StringComparison.Ordinal);

        var udf = await Assert.ThrowsAsync<ArgumentException>(() => grain.StartTransformAsync(new TransformRequest([new TransformStep("udf", Name: "nope")])));
        Assert.Contains("Registered: gate, square", udf.Message, StringComparison.Ordinal);
        Assert.Single((await grain.GetAsync())!.Versions);
    }

    [Fact]
    public async Task SplitIsDeterministicAndCoversEveryRow()
    {
        var grain = await ImportAsync(10_000, 4);
        var name = grain.GetPrimaryKeyString();
        var first = await DatasetClusterFixture.WaitAsync(grain, await grain.StartSplitAsync(new SplitRequest(0.2, 7, TrainDataset: name + "-a", TestDataset: name + "-b")));
        var second = await DatasetClusterFixture.WaitAsync(grain, await grain.StartSplitAsync(new SplitRequest(0.2, 7, TrainDataset: name + "-c", TestDataset: name + "-d")));
        Assert.Equal(DatasetOperation.Succeeded, first.State);
        Assert.Equal(DatasetOperation.Succeeded, second.State);

        var train = (await fixture.Grains.GetGrain<IDatasetGrain>(name + "-a").GetAsync())!.Versions.Single();
        var test = (await fixture.Grains.GetGrain<IDatasetGrain>(name + "-b").GetAsync())!.Versions.Single();
        Assert.Equal(10_000, train.RowCount + test.RowCount);
        Assert.InRange(test.RowCount, 1_800, 2_200);
        Assert.Equal("split", test.Lineage.Operation);
        Assert.Equal(name, test.Lineage.ParentDataset);
        var again = (await fixture.Grains.GetGrain<IDatasetGrain>(name + "-d").GetAsync())!.Versions.Single();
        Assert.Equal(test.PartitionRows, again.PartitionRows);
        var ids = await fixture.Grains.GetGrain<IDatasetGrain>(name + "-b").DescribeAsync(null, ["id"]);
        var idsAgain = await fixture.Grains.GetGrain<IDatasetGrain>(name + "-d").DescribeAsync(null, ["id"]);
        Assert.Equal(ids, idsAgain);
    }

    [Fact]
    public async Task SampleIsSeededAndHeadReturnsTheFirstRows()
    {
        var grain = await ImportAsync(5_000, 3);
        var a = await grain.SampleAsync(null, 25, 1);
        var b = await grain.SampleAsync(null, 25, 1);
        var c = await grain.SampleAsync(null, 25, 2);
        Assert.Equal(25, a.RowCount);
        Assert.Equal(a.RowsJson, b.RowsJson);
        Assert.NotEqual(a.RowsJson, c.RowsJson);
        var head = JsonDocument.Parse((await grain.HeadAsync(null, 5)).RowsJson).RootElement;
        Assert.Equal(5, head.GetArrayLength());
        Assert.Equal("note 0", head[0].GetProperty("note").GetString());
    }

    [Fact]
    public async Task DatasetStateIsReadBackAfterDeactivation()
    {
        var grain = await ImportAsync(3_000, 2);
        await TransformAsync(grain, new TransformStep("derive", Output: "y", Expression: "x + 1"));
        var before = (await grain.GetAsync())!;

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var after = (await grain.GetAsync())!;

        Assert.Equal(before.Versions.Select(v => (v.Version, v.RowCount, v.Columns.Count, v.Lineage.Steps.Count)), after.Versions.Select(v => (v.Version, v.RowCount, v.Columns.Count, v.Lineage.Steps.Count)));
        Assert.Equal(3, (await grain.HeadAsync(2, 3)).RowCount);
    }

    [Fact]
    public async Task PartitionsCacheRowsAndFreeThemWhenDeactivated()
    {
        var grain = await ImportAsync(6_000, 3);
        Assert.All(await grain.GetPartitionsAsync(), p => Assert.False(p.Loaded));
        await grain.DescribeAsync();
        var loaded = await grain.GetPartitionsAsync();
        Assert.All(loaded, p => Assert.True(p.Loaded && p.CachedBytes > 0));

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.All(await grain.GetPartitionsAsync(), p => Assert.Equal(0, p.CachedBytes));
    }
}
