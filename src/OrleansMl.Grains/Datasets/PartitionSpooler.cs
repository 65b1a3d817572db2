using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats.Parquet;
using OrleansMl.Data.Schema;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Datasets;

/// <summary>
/// Writes batches round-robin into N local Parquet files (one row group per batch), then uploads them
/// as <c>part-NNNNN.parquet</c>. Round-robin keeps partitions within one batch of each other whatever
/// the row count turns out to be. Local files are deleted on dispose.
/// </summary>
public sealed class PartitionSpooler : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orleansml-spool-").FullName;
    private readonly ParquetPartitionWriter?[] _writers;
    private readonly FileStream?[] _files;
    private readonly DatasetSchema _schema;
    private int _next;

    public PartitionSpooler(DatasetSchema schema, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        _schema = schema;
        _writers = new ParquetPartitionWriter?[partitions];
        _files = new FileStream?[partitions];
        Ranges = new ColumnRanges(schema);
    }

    public ColumnRanges Ranges { get; }

    public int Partitions => _writers.Length;

    public async Task WriteAsync(ColumnBatch batch, CancellationToken cancellationToken)
    {
        var index = _next++ % _writers.Length;
        if (_writers[index] is not { } writer)
        {
            _files[index] = new FileStream(Path.Combine(_directory, $"{index}.parquet"), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
            writer = _writers[index] = await ParquetPartitionWriter.CreateAsync(_files[index]!, _schema, cancellationToken);
        }

        await writer.WriteAsync(batch, cancellationToken);
        Ranges.Add(batch);
    }

    /// <summary>Finishes the files and uploads partition i to <paramref name="pathOf"/>(i); returns rows and bytes per partition.</summary>
    public async Task<(long[] Rows, long[] Bytes)> UploadAsync(IArtifactStore store, Func<int, string> pathOf, CancellationToken cancellationToken)
    {
        var rows = new long[_writers.Length];
        var bytes = new long[_writers.Length];
        for (var i = 0; i < _writers.Length; i++)
        {
            if (_writers[i] is null)
            {
                // Fewer batches than partitions: the partition is empty but still a valid file.
                _files[i] = new FileStream(Path.Combine(_directory, $"{i}.parquet"), FileMode.Create, FileAccess.ReadWrite, FileShare.None);
                _writers[i] = await ParquetPartitionWriter.CreateAsync(_files[i]!, _schema, cancellationToken);
            }

            rows[i] = _writers[i]!.RowCount;
            await _writers[i]!.DisposeAsync();
            _writers[i] = null;
        }

        await Parallel.ForEachAsync(Enumerable.Range(0, _files.Length), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var file = _files[i]!;
            file.Position = 0;
            bytes[i] = file.Length;
            await store.WriteAsync(pathOf(i), file, ArtifactWriteCondition.NotExists, ct);
        });
        return (rows, bytes);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var writer in _writers)
        {
            if (writer is not null)
            {
                try
                {
                    await writer.DisposeAsync();
                }
                catch (IOException)
                {
                    // The file is discarded anyway.
                }
            }
        }

        foreach (var file in _files)
        {
            file?.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }
}
