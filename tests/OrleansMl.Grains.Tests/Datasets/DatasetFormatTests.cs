using System.Text;
using System.Text.Json;
using OrleansMl.Datasets;
using OrleansMl.Storage.Artifacts;
using OrleansMl.Testing;

namespace OrleansMl.Grains.Tests.Datasets;

/// <summary>Every import format and both source kinds, end to end through the dataset grain.</summary>
[Collection(DatasetClusterCollection.Name)]
public sealed class DatasetFormatTests(DatasetClusterFixture fixture)
{
    [Fact]
    public async Task ImportsJsonLinesFromAnArtifact()
    {
        var lines = new StringBuilder();
        for (var i = 0; i < 500; i++)
        {
            lines.Append(System.Globalization.CultureInfo.InvariantCulture, $$"""{"id":{{i}},"score":{{i * 0.1}},"tag":"{{(i % 2 == 0 ? "x" : "y")}}","embedding":[{{i}},1,2]}""").Append('\n');
        }

        var artifact = $"uploads/tests/{Guid.NewGuid():N}/rows.jsonl";
        await fixture.Store.WriteAsync(artifact, new MemoryStream(Encoding.UTF8.GetBytes(lines.ToString())));
        var (grain, operation) = await fixture.ImportAsync(DatasetClusterFixture.NewName(), new ImportRequest(new DatasetSource(Artifact: artifact)));

        Assert.Equal(DatasetOperation.Succeeded, operation.State);
        var version = (await grain.GetAsync())!.Versions[0];
        Assert.Equal(["id:int64", "score:float64", "tag:categorical", "embedding:vector"], version.Columns.Select(c => $"{c.Name}:{c.Type}"));
        Assert.Equal(500, version.RowCount);
        Assert.Equal($"jsonl:{artifact}", version.Lineage.Source);
    }

    [Fact]
    public async Task ImportsParquetWrittenByDuckDb()
    {
        var path = Path.Combine(fixture.FilesDirectory, $"{Guid.NewGuid():N}.parquet");
        await DuckDb.QueryAsync($"COPY (SELECT i AS id, 'c' || (i % 4) AS cat, i * 1.5 AS value FROM range(20000) t(i)) TO {DuckDb.Quote(path)} (FORMAT parquet, ROW_GROUP_SIZE 5000)");
        var (grain, operation) = await fixture.ImportAsync(DatasetClusterFixture.NewName(), new ImportRequest(
            new DatasetSource(path), Options: new ImportOptions(Partitions: 3, ColumnTypes: new Dictionary<string, string> { ["cat"] = "categorical" })));

        Assert.Equal(DatasetOperation.Succeeded, operation.State);
        var version = (await grain.GetAsync())!.Versions[0];
        Assert.Equal(20_000, version.RowCount);
        Assert.Equal("categorical", version.Columns[1].Type);
        using var summary = JsonDocument.Parse(await grain.DescribeAsync(null, ["value"]));
        Assert.Equal(Enumerable.Range(0, 20_000).Average(i => i * 1.5), summary.RootElement.GetProperty("columns")[0].GetProperty("mean").GetDouble(), 6);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("json")]
    public async Task ImportsGzipCompressedTextWrittenByDuckDb(string kind)
    {
        var path = Path.Combine(fixture.FilesDirectory, $"{Guid.NewGuid():N}.{(kind == "csv" ? "csv" : "jsonl")}.gz");
        await DuckDb.QueryAsync($"COPY (SELECT i AS id, 'c' || (i % 4) AS cat, i * 1.5 AS value FROM range(30000) t(i)) TO {DuckDb.Quote(path)} (FORMAT {kind}, COMPRESSION gzip)");
        var (grain, operation) = await fixture.ImportAsync(DatasetClusterFixture.NewName(), new ImportRequest(new DatasetSource(path), Options: new ImportOptions(Partitions: 2)));

        Assert.Equal(DatasetOperation.Succeeded, operation.State);
        Assert.Equal(new FileInfo(path).Length, operation.BytesRead); // progress counts the compressed file
        var version = (await grain.GetAsync())!.Versions[0];
        Assert.Equal(30_000, version.RowCount);
        Assert.Equal(["id", "cat", "value"], version.Columns.Select(c => c.Name));
        using var summary = JsonDocument.Parse(await grain.DescribeAsync(null, ["value"]));
        var expected = (await DuckDb.QueryAsync($"SELECT avg(value)::DOUBLE AS mean FROM {DuckDb.Quote(path)}"))[0].GetProperty("mean").GetDouble();
        Assert.Equal(expected, summary.RootElement.GetProperty("columns")[0].GetProperty("mean").GetDouble(), 6);
    }

    [Fact]
    public async Task ImportsAnImageFolderAndQuarantinesFilesThatDoNotDecode()
    {
        var root = Directory.CreateDirectory(Path.Combine(fixture.FilesDirectory, $"images-{Guid.NewGuid():N}")).FullName;
        foreach (var (label, shade) in new[] { ("dark", (byte)10), ("light", (byte)240) })
        {
            Directory.CreateDirectory(Path.Combine(root, label));
            for (var i = 0; i < 3; i++)
            {
                await File.WriteAllBytesAsync(Path.Combine(root, label, $"{i}.png"), PngWriter.Uniform(16, 16, shade));
            }
        }

        await File.WriteAllTextAsync(Path.Combine(root, "light", "broken.png"), "not an image");
        var (grain, operation) = await fixture.ImportAsync(DatasetClusterFixture.NewName(), new ImportRequest(
            new DatasetSource(root), Options: new ImportOptions(BadRecords: "skip", ImageWidth: 8, ImageHeight: 8)));

        Assert.Equal(DatasetOperation.Succeeded, operation.State);
        Assert.Equal(1, operation.BadRecords);
        var version = (await grain.GetAsync())!.Versions[0];
        Assert.Equal(6, version.RowCount);
        Assert.Equal(64, version.Columns.Single(c => c.Name == "pixels").VectorLength);
        await using var quarantine = await fixture.Store.OpenReadAsync(operation.QuarantinePath!);
        Assert.Contains("light/broken.png", await new StreamReader(quarantine).ReadToEndAsync(), StringComparison.Ordinal);
    }
}
