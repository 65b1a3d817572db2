using System.Threading.Channels;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats.Parquet;
using OrleansMl.Data.Schema;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Datasets;

/// <summary>
/// Writes batches round-robin into N local Parquet files (one row group per batch), then uploads them
/// as <c>part-NNNNN.parquet</c>. Round-robin keeps partitions within one batch of each other whatever
/// the row count turns out to be. Encoding runs on several lanes at once (one per core, each owning
/// a fixed set of partitions and taking its batches in order), so partition contents are the same
/// on every run. Local files are deleted on dispose.
/// </summary>
public sealed class PartitionSpooler : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orleansml-spool-").FullName;
    private readonly ParquetPartitionWriter?[] _writers;
    private readonly FileStream?[] _files;
    private readonly DatasetSchema _schema;
    private readonly Channel<(int Partition, ColumnBatch Batch)>[] _lanes;
    private readonly Task[] _workers;
    private readonly ColumnRanges[] _ranges;
    private readonly CancellationTokenSource _failed = new();
    private int _next;

    public PartitionSpooler(DatasetSchema schema, int partitions, int lanes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        _schema = schema;
        _writers = new ParquetPartitionWriter?[partitions];
        _files = new FileStream?[partitions];
        var count = Math.Clamp(lanes, 1, partitions);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _failed.Token).Token;
        _lanes = [.. Enumerable.Range(0, count).Select(_ => Channel.CreateBounded<(int, ColumnBatch)>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true }))];
        _ranges = [.. Enumerable.Range(0, count).Select(_ => new ColumnRanges(schema))];
        _workers = [.. Enumerable.Range(0, count).Select(lane => Task.Run(() => RunLaneAsync(lane, stop), CancellationToken.None))];
        Stop = stop;
    }

    private CancellationToken Stop { get; }

    /// <summary>Queues a batch for the next partition in turn; waits when the lane is busy.</summary>
    public async ValueTask AddAsync(ColumnBatch batch)
    {
        var partition = _next++ % _writers.Length;
        try
        {
            await _lanes[partition % _lanes.Length].Writer.WriteAsync((partition, batch), Stop);
        }
        catch (OperationCanceledException) when (_failed.IsCancellationRequested)
        {
            await CompleteAsync(); // surfaces the lane's own exception
            throw;
        }
    }

    /// <summary>Waits for every queued batch to be written; rethrows a lane's failure.</summary>
    public async Task<ColumnRanges> CompleteAsync()
    {
        foreach (var lane in _lanes)
        {
            lane.Writer.TryComplete();
        }

        await Task.WhenAll(_workers);
        for (var i = 1; i < _ranges.Length; i++)
        {
            _ranges[0].Merge(_ranges[i]);
        }

        return _ranges[0];
    }

    /// <summary>Finishes the files and uploads partition i to <paramref name="pathOf"/>(i); returns rows and bytes per partition.</summary>
    public async Task<(long[] Rows, long[] Bytes)> UploadAsync(IArtifactStore store, Func<int, string> pathOf, CancellationToken cancellationToken)
    {
        var rows = new long[_writers.Length];
        var bytes = new long[_writers.Length];
        for (var i = 0; i < _writers.Length; i++)
        {
            var writer = _writers[i] ?? await OpenAsync(i, cancellationToken); // an empty partition is still a valid file
            rows[i] = writer.RowCount;
            await writer.DisposeAsync();
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
        _failed.Cancel();
        foreach (var lane in _lanes)
        {
            lane.Writer.TryComplete();
        }

        await Task.WhenAll(_workers).ContinueWith(_ => { }, TaskScheduler.Default); // failures were reported by CompleteAsync
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

        _failed.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task RunLaneAsync(int lane, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (partition, batch) in _lanes[lane].Reader.ReadAllAsync(cancellationToken))
            {
                var writer = _writers[partition] ?? await OpenAsync(partition, cancellationToken);
                await writer.WriteAsync(batch, cancellationToken);
                _ranges[lane].Add(batch);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await _failed.CancelAsync();
            throw;
        }
    }

    private async Task<ParquetPartitionWriter> OpenAsync(int partition, CancellationToken cancellationToken)
    {
        _files[partition] = new FileStream(Path.Combine(_directory, $"{partition}.parquet"), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        return _writers[partition] = await ParquetPartitionWriter.CreateAsync(_files[partition]!, _schema, cancellationToken);
    }
}
