using System.Text;
using System.Text.Json;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats.Export;
using OrleansMl.Data.Formats.Parquet;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Tests.Formats.Parquet;
using OrleansMl.Testing;

namespace OrleansMl.Data.Tests.Formats.Export;

public sealed class DatasetExportWriterTests
{
    private static async Task<byte[]> ExportAsync(ExportFormat format, params ColumnBatch[] batches)
    {
        using var target = new MemoryStream();
        await using (var writer = await DatasetExportWriter.CreateAsync(new NonSeekableStream(target), batches[0].Schema, format))
        {
            foreach (var batch in batches)
            {
                await writer.WriteAsync(batch);
            }
        }

        return target.ToArray();
    }

    [Fact]
    public async Task ParquetGoesToAStreamThatCannotSeekAndReadsBackWhole()
    {
        var bytes = await ExportAsync(ExportFormat.Parquet, ParquetRoundTripTests.SampleBatch(500), ParquetRoundTripTests.SampleBatch(300, offset: 500));

        var read = await ParquetDatasetReader.ReadAllAsync(new MemoryStream(bytes), "export.parquet");
        Assert.Equal(800, read.RowCount);
        Assert.Equal(ParquetRoundTripTests.SampleBatch(1).Schema, read.Schema);
        Assert.Equal(Enumerable.Range(0, 800).Select(i => (long)i), ((Int64Column)read["id"]).Values.ToArray());
        Assert.True(read["x"].IsNull(3));
        Assert.Equal(new[] { 11f, 11.5f, -11f }, ((VectorColumn)read["v"]).Row(11).ToArray());
    }

    [Fact]
    public async Task CsvQuotesWhatNeedsItAndWritesNullsAsEmptyFields()
    {
        var schema = new DatasetSchema([new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("text", ColumnType.String), new ColumnSchema("x", ColumnType.Float64), new ColumnSchema("v", ColumnType.Vector, 2)]);
        var batch = new ColumnBatch(schema,
        [
            new Int64Column(schema[0], [1, 2, 3, 4]),
            new StringColumn(schema[1], ["plain", "a, b", "say \"hi\"", null]),
            new Float64Column(schema[2], [0.1, 1e-20, double.NaN, 3], new NullMask(4)),
            new VectorColumn(schema[3], [1, 2, 3.5f, 4, 5, 6, 7, 8]),
        ]);

        var text = Encoding.UTF8.GetString(await ExportAsync(ExportFormat.Csv, batch));

        Assert.Equal(
            "id,text,x,v\n1,plain,0.1,\"[1,2]\"\n2,\"a, b\",1E-20,\"[3.5,4]\"\n3,\"say \"\"hi\"\"\",NaN,\"[5,6]\"\n4,,3,\"[7,8]\"\n",
            text);
    }

    [Fact]
    public async Task JsonLinesWritesOneObjectALine()
    {
        var text = Encoding.UTF8.GetString(await ExportAsync(ExportFormat.JsonLines, ParquetRoundTripTests.SampleBatch(5)));

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.All(lines, line => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(line).RootElement.ValueKind));
        Assert.Equal("name 4", JsonDocument.Parse(lines[4]).RootElement.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(lines[3]).RootElement.GetProperty("x").ValueKind);
    }
}
