using System.Text;
using System.Text.Json;
using OrleansMl.Datasets;
using OrleansMl.Storage.Artifacts;
using OrleansMl.Testing;

namespace OrleansMl.Grains.Tests.Datasets;

[Collection(DatasetClusterCollection.Name)]
public sealed class DatasetImportTests(DatasetClusterFixture fixture)
{
    [Fact]
    public async Task ImportSpreadsPartitionsOverEverySiloAndWritesALakeLayout()
    {
        var name = DatasetClusterFixture.NewName();
        var (grain, operation) = await fixture.ImportAsync(name, new ImportRequest(new DatasetSource(fixture.WriteCsv(30_000)), Options: new ImportOptions(Partitions: 6)));

        Assert.Equal(DatasetOperation.Succeeded, operation.State);
        var version = Assert.Single((await grain.GetAsync())!.Versions);
        Assert.Equal(30_000, version.RowCount);
        Assert.Equal(6, version.PartitionCount);
        Assert.Equal(["id:int64", "x:float64", "group:categorical", "flag:boolean", "note:string"], version.Columns.Select(c => $"{c.Name}:{c.Type}"));
        Assert.Equal("import", version.Lineage.Operation);

        var partitions = await grain.GetPartitionsAsync();
        Assert.Equal(3, partitions.Select(p => p.Silo).Distinct().Count());
        Assert.All(partitions.GroupBy(p => p.Silo), g => Assert.Equal(2, g.Count()));

        var files = await fixture.Store.ListAsync(DatasetPaths.Version(name, 1)).Select(a => a.Path).ToListAsync();
        Assert.Equal([DatasetPaths.Manifest(name, 1), .. Enumerable.Range(0, 6).Select(i => DatasetPaths.Part(name, 1, i))], files);
        using var manifest = JsonDocument.Parse(await ReadTextAsync(DatasetPaths.Manifest(name, 1)));
        Assert.Equal(30_000, manifest.RootElement.GetProperty("rowCount").GetInt64());
        Assert.Equal(6, manifest.RootElement.GetProperty("partitions").GetArrayLength());

        // Another Parquet reader (DuckDB) reads the partition files straight from the lake.
        var lake = Path.Combine(fixture.DataDirectory, "artifacts", DatasetPaths.Version(name, 1), "*.parquet");
        var totals = await DuckDb.QueryAsync($"SELECT count(*) AS n, sum(id) AS ids, count(DISTINCT \"group\") AS groups FROM read_parquet({DuckDb.Quote(lake)})");
        Assert.Equal("30000", totals[0].GetProperty("n").ToString());
        Assert.Equal((30_000L * 29_999 / 2).ToString(System.Globalization.CultureInfo.InvariantCulture), totals[0].GetProperty("ids").ToString());
        Assert.Equal("3", totals[0].GetProperty("groups").ToString());
    }

    [Fact]
    public async Task ACancelledImportEndsCancelledAndLeavesNoFilesAndThePreviousVersion()
    {
        var name = DatasetClusterFixture.NewName();
        var (grain, first) = await fixture.ImportAsync(name, new ImportRequest(new DatasetSource(fixture.WriteCsv(100))));
        Assert.Equal(DatasetOperation.Succeeded, first.State);
        var big = fixture.WriteCsv(1_000_000); // seconds of work: it cannot finish before the cancel arrives

        var started = await grain.StartImportAsync(new ImportRequest(new DatasetSource(big), Options: new ImportOptions(Partitions: 2)));
        var cancelled = await grain.CancelOperationAsync(started.Id);

        Assert.Equal(DatasetOperation.Cancelled, cancelled.State);
        Assert.True(cancelled.IsFinished);
        Assert.Equal([1], (await grain.GetAsync())!.Versions.Select(v => v.Version));
        await foreach (var file in fixture.Store.ListAsync(DatasetPaths.Version(name, started.Version)))
        {
            Assert.Fail($"{file.Path} was left behind");
        }

        Assert.Equal(DatasetOperation.Cancelled, (await grain.CancelOperationAsync(started.Id)).State); // again: answered as it is
        await Assert.ThrowsAsync<KeyNotFoundException>(() => grain.CancelOperationAsync("no-such-id"));
        File.Delete(big);
    }

    [Fact]
    public async Task MalformedRowFailsTheImportWithLineAndColumnAndLeavesThePreviousVersion()
    {
        var name = DatasetClusterFixture.NewName();
        var (grain, first) = await fixture.ImportAsync(name, new ImportRequest(new DatasetSource(fixture.WriteCsv(100))));
        Assert.Equal(DatasetOperation.Succeeded, first.State);

        var bad = Path.Combine(fixture.FilesDirectory, $"{name}-bad.csv");
        await File.WriteAllTextAsync(bad, "id,x\n1,2.5\n2,3.5\n3,oops\n");
        var (_, failed) = await fixture.ImportAsync(name, new ImportRequest(new DatasetSource(bad), Options: new ImportOptions(InferenceRows: 2)));

        Assert.Equal(DatasetOperation.Failed, failed.State);
        Assert.Equal($"{bad}: line 4, column 2: column 'x': expected float64, found 'oops' (set this column's type, or import with the skip policy)", failed.Error);
        var info = (await grain.GetAsync())!;
        Assert.Equal([1], info.Versions.Select(v => v.Version));
        Assert.Empty(await fixture.Store.ListAsync(DatasetPaths.Version(name, failed.Version)).ToListAsync());
        Assert.Equal(10, (await grain.HeadAsync(null, 10)).RowCount);
    }

    [Fact]
    public async Task SkipPolicyQuarantinesBadRowsInTheStore()
    {
        var name = DatasetClusterFixture.NewName();
        var path = Path.Combine(fixture.FilesDirectory, $"{name}.csv");
        await File.WriteAllTextAsync(path, "id,x\n1,2.5\n2\n3,oops\n4,4.5\n");
        var (grain, operation) = await fixture.ImportAsync(name, new ImportRequest(
            new DatasetSource(path), Options: new ImportOptions(BadRecords: "skip", ColumnTypes: new Dictionary<string, string> { ["x"] = "float64" })));

        Assert.Equal(DatasetOperation.Succeeded, operation.State);
        Assert.Equal(2, operation.BadRecords);
        Assert.Equal(2, (await grain.GetAsync())!.Versions[0].RowCount);
        var quarantine = await ReadTextAsync(operation.QuarantinePath!);
        Assert.Contains("3,2,\"expected 2 fields, found 1\"", quarantine, StringComparison.Ordinal);
        Assert.Contains("4,2,\"column 'x': expected float64, found 'oops'", quarantine, StringComparison.Ordinal);
        Assert.Contains("\"3,oops\"", quarantine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidRequestsNameTheField()
    {
        var grain = fixture.Grains.GetGrain<IDatasetGrain>(DatasetClusterFixture.NewName());
        var missing = await Assert.ThrowsAsync<ArgumentException>(() => grain.StartImportAsync(new ImportRequest(new DatasetSource("/no/such/file.csv"))));
        Assert.Equal("source.path", FieldError.FieldOf(missing));
        var partitions = await Assert.ThrowsAsync<ArgumentException>(() => grain.StartImportAsync(new ImportRequest(new DatasetSource(fixture.WriteCsv(5)), Options: new ImportOptions(Partitions: 0))));
        Assert.Equal("options.partitions", FieldError.FieldOf(partitions));
        Assert.Null(await grain.GetAsync());
    }

    [Fact]
    public async Task ImportsFashionMnistFromGzippedIdx()
    {
        var directory = FashionMnist.EnsureInstalled();
        var name = DatasetClusterFixture.NewName();
        var (grain, operation) = await fixture.ImportAsync(name, new ImportRequest(
            new DatasetSource(Path.Combine(directory, "t10k-images-idx3-ubyte.gz"), LabelsPath: Path.Combine(directory, "t10k-labels-idx1-ubyte.gz")),
            Options: new ImportOptions(Partitions: 4)));

        Assert.Equal(DatasetOperation.Succeeded, operation.State);
        var version = (await grain.GetAsync())!.Versions[0];
        Assert.Equal(10_000, version.RowCount);
        Assert.Equal(["label:int64", "pixels:vector"], version.Columns.Select(c => $"{c.Name}:{c.Type}"));
        Assert.Equal(784, version.Columns[1].VectorLength);
        Assert.All(version.PartitionRows, rows => Assert.InRange(rows, 2000, 3000));

        using var summary = JsonDocument.Parse(await grain.DescribeAsync());
        var label = summary.RootElement.GetProperty("columns")[0];
        Assert.Equal(10_000, label.GetProperty("count").GetInt64());
        Assert.Equal(4.5, label.GetProperty("mean").GetDouble(), 6);
        var pixels = summary.RootElement.GetProperty("columns")[1];
        Assert.Equal(10_000L * 784, pixels.GetProperty("count").GetInt64());
        Assert.Equal(255, pixels.GetProperty("max").GetDouble());
        Assert.Equal(784, pixels.GetProperty("slots").GetProperty("mean").GetArrayLength());
    }

    private async Task<string> ReadTextAsync(string path)
    {
        await using var stream = await fixture.Store.OpenReadAsync(path);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }
}
