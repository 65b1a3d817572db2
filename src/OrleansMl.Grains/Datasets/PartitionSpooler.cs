using System.Threading.Channels;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats.Parquet;
using OrleansMl.Data.Schema;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Datasets;

/// <summary>
/// Writes batches round-robin into N local Parquet files (one row group per batch), then uploads them
/// as <c>part-NNNNN.parquet</c>. Round-robin keeps partitions within one batch of each other whatever
/// the row count turns out to be. A partition grain holds its partition in memory, so no partition
/// may pass <c>maxPartitionBytes</c>: when the next batch would take one past it, that round-robin
/// slot closes its partition and opens a new one (the count grows when the source is larger than its
/// first rows suggested, or than the partition count the caller chose allows). Encoding runs on several
/// lanes at once (one per core, each owning the partitions <c>p % lanes</c> and taking its batches in
/// order), so partition contents are the same on every run. Local files are deleted on dispose.
/// </summary>
public sealed class PartitionSpooler : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orleansml-spool-").FullName;
    private readonly Dictionary<int, SpoolFile>[] _open; // per lane: its partitions' files
    private readonly int[] _slotPartition;
    private readonly long[] _slotBytes;
    private readonly long _maxPartitionBytes;
    private readonly DatasetSchema _schema;
    private readonly Channel<(int Partition, ColumnBatch Batch)>[] _lanes;
    private readonly Task[] _workers;
    private readonly ColumnRanges[] _ranges;
    private readonly CancellationTokenSource _failed = new();
    private int _next;
    private int _partitions;

    public PartitionSpooler(DatasetSchema schema, int partitions, int lanes, long maxPartitionBytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPartitionBytes, 1);
        _schema = schema;
        _partitions = partitions;
        _slotPartition = [.. Enumerable.Range(0, partitions)];
        _slotBytes = new long[partitions];
        _maxPartitionBytes = maxPartitionBytes;
        var count = Math.Clamp(lanes, 1, partitions);
        _open = [.. Enumerable.Range(0, count).Select(_ => new Dictionary<int, SpoolFile>())];
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _failed.Token).Token;
        _lanes = [.. Enumerable.Range(0, count).Select(_ => Channel.CreateBounded<(int, ColumnBatch)>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true }))];
        _ranges = [.. Enumerable.Range(0, count).Select(_ => new ColumnRanges(schema))];
        _workers = [.. Enumerable.Range(0, count).Select(lane => Task.Run(() => RunLaneAsync(lane, stop), CancellationToken.None))];
        Stop = stop;
    }

    private CancellationToken Stop { get; }

    /// <summary>The number of partitions so far (at least the count asked for).</summary>
    public int PartitionCount => _partitions;

    /// <summary>Queues a batch for the next partition in turn; waits when the lane is busy.</summary>
    public async ValueTask AddAsync(ColumnBatch batch)
    {
        var slot = _next++ % _slotPartition.Length;
        if (_slotBytes[slot] > 0 && _slotBytes[slot] + batch.EstimatedBytes > _maxPartitionBytes)
        {
            _slotPartition[slot] = _partitions++;
            _slotBytes[slot] = 0;
        }

        _slotBytes[slot] += batch.EstimatedBytes;
        var partition = _slotPartition[slot];
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
        var rows = new long[_partitions];
        var bytes = new long[_partitions];
        var files = new FileStream[_partitions];
        for (var i = 0; i < _partitions; i++)
        {
            var spool = _open[i % _open.Length].GetValueOrDefault(i) ?? await OpenAsync(i, cancellationToken); // an empty partition is still a valid file
            rows[i] = spool.Writer!.RowCount;
            await spool.CloseAsync();
            files[i] = spool.File;
        }

        await Parallel.ForEachAsync(Enumerable.Range(0, _partitions), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var file = files[i];
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
        foreach (var spool in _open.SelectMany(lane => lane.Values))
        {
            try
            {
                await spool.CloseAsync();
            }
            catch (IOException)
            {
                // The file is discarded anyway.
            }

            spool.File.Dispose();
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
                var spool = _open[lane].GetValueOrDefault(partition) ?? await OpenAsync(partition, cancellationToken);
                await spool.Writer!.WriteAsync(batch, cancellationToken);
                _ranges[lane].Add(batch);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await _failed.CancelAsync();
            throw;
        }
    }

    private async Task<SpoolFile> OpenAsync(int partition, CancellationToken cancellationToken)
    {
        var file = new FileStream(Path.Combine(_directory, $"{partition}.parquet"), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        var spool = new SpoolFile(file) { Writer = await ParquetPartitionWriter.CreateAsync(file, _schema, cancellationToken) };
        _open[partition % _open.Length].Add(partition, spool);
        return spool;
    }

    /// <summary>One partition's local file and, until it is finished, its writer.</summary>
    private sealed class SpoolFile(FileStream file)
    {
        public FileStream File { get; } = file;

        public ParquetPartitionWriter? Writer { get; set; }

        public async ValueTask CloseAsync()
        {
            if (Writer is { } writer)
            {
                Writer = null;
                await writer.DisposeAsync();
            }
        }
    }
}
