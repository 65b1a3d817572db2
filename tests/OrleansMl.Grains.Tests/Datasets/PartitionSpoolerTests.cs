using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats.Parquet;
using OrleansMl.Data.Schema;
using OrleansMl.Datasets;
using OrleansMl.Storage.FileSystem;

namespace OrleansMl.Grains.Tests.Datasets;

public sealed class PartitionSpoolerTests : IDisposable
{
    private static readonly DatasetSchema Schema = new([new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("x", ColumnType.Float64)]);
    private readonly string _root = Directory.CreateTempSubdirectory("orleansml-spool-test-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task NoPartitionPassesTheByteCapEvenWhenTheCallerAskedForOne()
    {
        var batch = Batch(0, 1000);
        var cap = batch.EstimatedBytes * 5; // five batches fit, the sixth opens a new partition
        var store = new FileSystemArtifactStore(_root);
        await using (var spooler = new PartitionSpooler(Schema, partitions: 1, lanes: 2, cap, CancellationToken.None))
        {
            for (var b = 0; b < 23; b++)
            {
                await spooler.AddAsync(Batch(b * 1000L, 1000));
            }

            await spooler.CompleteAsync();
            var (rows, _) = await spooler.UploadAsync(store, i => $"parts/{i}.parquet", CancellationToken.None);

            Assert.Equal(5, spooler.PartitionCount);
            Assert.Equal([5000L, 5000, 5000, 5000, 3000], rows);
        }

        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            await using var file = File.OpenRead(Path.Combine(_root, "parts", $"{i}.parquet"));
            var part = await ParquetDatasetReader.ReadAllAsync(file, $"{i}.parquet");
            Assert.True(part.EstimatedBytes <= cap, $"partition {i} holds {part.EstimatedBytes} bytes, over the cap of {cap}");
            ids.AddRange(((Int64Column)part["id"]).Values.ToArray());
        }

        Assert.Equal(Enumerable.Range(0, 23_000).Select(i => (long)i), ids.Order()); // every row once
    }

    [Fact]
    public async Task UnderTheCapTheAskedCountIsKeptAndRowsGoRoundRobin()
    {
        var store = new FileSystemArtifactStore(_root);
        await using var spooler = new PartitionSpooler(Schema, partitions: 3, lanes: 2, long.MaxValue, CancellationToken.None);
        for (var b = 0; b < 7; b++)
        {
            await spooler.AddAsync(Batch(b * 10L, 10));
        }

        await spooler.CompleteAsync();
        var (rows, _) = await spooler.UploadAsync(store, i => $"parts/{i}.parquet", CancellationToken.None);

        Assert.Equal(3, spooler.PartitionCount);
        Assert.Equal([30L, 20, 20], rows);
    }

    private static ColumnBatch Batch(long first, int rows) => new(Schema,
    [
        new Int64Column(Schema[0], [.. Enumerable.Range(0, rows).Select(i => first + i)]),
        new Float64Column(Schema[1], [.. Enumerable.Range(0, rows).Select(i => i * 0.5)]),
    ]);
}
