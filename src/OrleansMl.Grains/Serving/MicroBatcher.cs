using System.Threading.Channels;

namespace OrleansMl.Serving;

/// <summary>
/// Dynamic micro-batching. While fewer than <see cref="ServingOptions.BatchConcurrency"/> batches are
/// being scored and nothing is queued, a request is scored at once on the caller's thread: an idle
/// or lightly loaded predictor pays no queue and no thread hop. Otherwise the request queues, and each
/// of <see cref="ServingOptions.BatchConcurrency"/> workers takes what is queued (up to
/// <see cref="ServingOptions.MaxBatchRows"/> rows, waiting at most <see cref="ServingOptions.MaxBatchWait"/>
/// for more), scores it in one call and hands every request its own rows back. Inline scorings and
/// workers share one set of <see cref="ServingOptions.BatchConcurrency"/> slots: a worker takes from
/// the queue only once it holds a slot, so what queues while every slot is busy goes as one batch and
/// no more than that many scorings ever run at once.
/// </summary>
internal sealed class MicroBatcher : IAsyncDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly IBatchScorer _scorer;
    private readonly int _maxRows;
    private readonly TimeSpan _maxWait;
    private readonly SemaphoreSlim _slots;
    private readonly long _maxQueuedValues;
    private long _queuedValues;
    private readonly Task[] _workers;
    private volatile bool _closed;

    public MicroBatcher(IBatchScorer scorer, ServingOptions options)
    {
        _scorer = scorer;
        _maxRows = options.MaxBatchRows;
        _maxWait = options.MaxBatchWait;
        _slots = new SemaphoreSlim(options.BatchConcurrency, options.BatchConcurrency);
        _maxQueuedValues = options.MaxQueuedValues;
        _workers = [.. Enumerable.Range(0, options.BatchConcurrency).Select(_ => Task.Run(RunAsync))];
    }

    /// <summary>Scores <paramref name="rows"/> rows (exactly <c>rows × Dimension</c> floats) with whatever else is queued.</summary>
    /// <exception cref="ObjectDisposedException">The model has been unloaded.</exception>
    public async Task<(long[] Labels, float[] Scores)> ScoreAsync(float[] features, int rows)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_maxWait == TimeSpan.Zero && _queue.Reader.Count == 0 && _slots.Wait(0))
        {
            try
            {
                var labels = new long[rows];
                var scores = new float[rows * _scorer.ScoreWidth];
                await _scorer.ScoreAsync(features, rows, labels, scores);
                return (labels, scores);
            }
            finally
            {
                _slots.Release();
            }
        }

        if (Interlocked.Add(ref _queuedValues, features.Length) > _maxQueuedValues && features.Length < Interlocked.Read(ref _queuedValues))
        {
            // Full: a request alone over the limit still queues when nothing else does, so no request is refused forever.
            Interlocked.Add(ref _queuedValues, -features.Length);
            throw new ModelUnavailableException($"The model is busy: {_maxQueuedValues:N0} feature values of requests are waiting to be scored on this silo. Try again shortly.");
        }

        var pending = new Pending(features, rows);
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Add(ref _queuedValues, -features.Length);
            throw new ObjectDisposedException(nameof(MicroBatcher), "The model was unloaded.");
        }

        return await pending.Done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _closed = true;
        _queue.Writer.TryComplete();
        await Task.WhenAll(_workers);
        _scorer.Dispose();
        _slots.Dispose();
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>();
        while (await reader.WaitToReadAsync())
        {
            await _slots.WaitAsync();
            try
            {
                var rows = Take(reader, batch, 0);
                if (_maxWait > TimeSpan.Zero && batch.Count > 0 && rows < _maxRows)
                {
                    rows = await WaitForMoreAsync(reader, batch, rows);
                }

                if (batch.Count > 0)
                {
                    await ScoreAsync(batch, rows);
                    batch.Clear();
                }
            }
            finally
            {
                _slots.Release();
            }
        }
    }

    /// <summary>Moves queued requests into <paramref name="batch"/> while they fit; a first request always fits.</summary>
    private int Take(ChannelReader<Pending> reader, List<Pending> batch, int rows)
    {
        while (rows < _maxRows && reader.TryPeek(out var next) && (batch.Count == 0 || rows + next.Rows <= _maxRows) && reader.TryRead(out next))
        {
            Interlocked.Add(ref _queuedValues, -next.Features.Length);
            batch.Add(next);
            rows += next.Rows;
        }

        return rows;
    }

    private async Task<int> WaitForMoreAsync(ChannelReader<Pending> reader, List<Pending> batch, int rows)
    {
        using var timeout = new CancellationTokenSource(_maxWait);
        try
        {
            while (rows < _maxRows && await reader.WaitToReadAsync(timeout.Token))
            {
                var before = batch.Count;
                rows = Take(reader, batch, rows);
                if (batch.Count == before)
                {
                    break; // the next request does not fit
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
        }

        return rows;
    }

    private async Task ScoreAsync(List<Pending> batch, int rows)
    {
        var dimension = _scorer.Dimension;
        var width = _scorer.ScoreWidth;
        try
        {
            var features = batch.Count == 1 ? batch[0].Features : Concatenate(batch, rows * dimension);
            var labels = new long[rows];
            var scores = new float[rows * width];
            await _scorer.ScoreAsync(features, rows, labels, scores);
            if (batch.Count == 1)
            {
                batch[0].Done.TrySetResult((labels, scores));
                return;
            }

            var at = 0;
            foreach (var pending in batch)
            {
                pending.Done.TrySetResult((labels[at..(at + pending.Rows)], scores[(at * width)..((at + pending.Rows) * width)]));
                at += pending.Rows;
            }
        }
        catch (Exception e)
        {
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(e);
            }
        }
    }

    private static float[] Concatenate(List<Pending> batch, int length)
    {
        var features = new float[length];
        var at = 0;
        foreach (var pending in batch)
        {
            pending.Features.CopyTo(features, at);
            at += pending.Features.Length;
        }

        return features;
    }

    private sealed class Pending(float[] features, int rows)
    {
        public float[] Features { get; } = features;

        public int Rows { get; } = rows;

        public TaskCompletionSource<(long[] Labels, float[] Scores)> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
