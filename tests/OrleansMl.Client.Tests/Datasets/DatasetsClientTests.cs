using System.Collections.Concurrent;
using System.Text.Json;

namespace OrleansMl.Client.Tests.Datasets;

[Collection(PlatformCollection.Name)]
public sealed class DatasetsClientTests(PlatformFixture platform)
{
    [Fact]
    public async Task AnUploadedJsonLinesFileIsFollowedToItsEndThenDescribedAndPreviewed()
    {
        var name = TwoBlobs.NewName("blobs");
        using var data = TwoBlobs.JsonLines(300);
        var started = await platform.Scientist.Datasets.UploadAsync(name, data, "blobs.jsonl", new UploadOptions(Partitions: 2));
        Assert.Equal("import", started.Kind);

        var seen = new ConcurrentQueue<DatasetOperation>();
        var finished = await platform.Reader.Datasets.WaitAsync(name, started, new SynchronousProgress<DatasetOperation>(seen.Enqueue));
        Assert.Equal("succeeded", finished.State);
        Assert.Equal(1, finished.Version);
        Assert.Equal(300, finished.RowsRead);
        if (!started.IsFinished)
        {
            Assert.Equal(finished, seen.Last());
        }

        var dataset = await platform.Reader.Datasets.GetAsync(name);
        var version = Assert.Single(dataset.Versions);
        Assert.Equal(300, version.RowCount);
        Assert.Equal(2, version.PartitionRows.Count);
        Assert.Equal(300, version.PartitionRows.Sum());
        Assert.Contains(version.Columns, c => c is { Name: "features", Type: "vector", VectorLength: 2 });
        Assert.Equal("import", version.Lineage?.GetProperty("operation").GetString());
        Assert.Equal(version, await platform.Reader.Datasets.GetVersionAsync(name, "1"), DatasetVersionComparer.Instance);

        var describe = await platform.Reader.Datasets.DescribeAsync(name, columns: ["label"]);
        Assert.Equal(300, describe.GetProperty("rowCount").GetInt64());
        var label = Assert.Single(describe.GetProperty("columns").EnumerateArray());
        Assert.Equal(0.5, label.GetProperty("mean").GetDouble(), 6);

        var head = await platform.Reader.Datasets.HeadAsync(name, rows: 3);
        Assert.Equal(3, head.Rows.Count);
        Assert.Equal(2, head.Rows[0].GetProperty("features").GetArrayLength());
        Assert.Equal(JsonValueKind.Number, head.Rows[1].GetProperty("label").ValueKind);

        var sample = await platform.Reader.Datasets.SampleAsync(name, "latest", rows: 5, seed: 7);
        var again = await platform.Reader.Datasets.SampleAsync(name, "latest", rows: 5, seed: 7);
        Assert.Equal(5, sample.Rows.Count);
        Assert.Equal(sample.Rows.Select(r => r.GetRawText()), again.Rows.Select(r => r.GetRawText()));

        Assert.Contains(name, await platform.Reader.Datasets.ListAsync());
    }

    [Fact]
    public async Task ASplitMakesTwoDatasetsFromTheUploadedVersion()
    {
        var name = await TwoBlobs.UploadAsync(platform.Scientist, 200);

        var split = await platform.Scientist.Datasets.SplitAsync(name, new SplitRequest(0.25, Seed: 5), wait: TimeSpan.FromSeconds(60));

        Assert.Equal("succeeded", split.State);
        var train = await platform.Reader.Datasets.GetVersionAsync($"{name}-train");
        var test = await platform.Reader.Datasets.GetVersionAsync($"{name}-test");
        Assert.Equal(200, train.RowCount + test.RowCount);
    }

    /// <summary>Versions compare by content (the records hold lists and a JSON element, which compare by reference).</summary>
    private sealed class DatasetVersionComparer : IEqualityComparer<DatasetVersion>
    {
        public static readonly DatasetVersionComparer Instance = new();

        public bool Equals(DatasetVersion? x, DatasetVersion? y) =>
            x is not null && y is not null && x.Version == y.Version && x.RowCount == y.RowCount && x.Path == y.Path
            && x.Columns.SequenceEqual(y.Columns) && x.PartitionRows.SequenceEqual(y.PartitionRows);

        public int GetHashCode(DatasetVersion obj) => obj.Version;
    }
}
