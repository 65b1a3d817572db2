using OrleansMl.Ml.Serving;
using OrleansMl.Serving;

namespace OrleansMl.Grains.Tests.Serving;

public sealed class MicroBatcherTests
{
    [Fact]
    public async Task RequestsThatArriveWhileEveryWorkerIsBusyAreScoredAsOneBatch()
    {
        var scorer = new GatedScorer();
        await using var batcher = new MicroBatcher(scorer, new ServingOptions { BatchConcurrency = 1, MaxBatchRows = 256 });

        var first = batcher.ScoreAsync([1f], 1); // scored at once, on this thread, and held at the gate
        await scorer.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        var queued = Enumerable.Range(2, 9).Select(i => batcher.ScoreAsync([i], 1)).ToList();
        scorer.Open();

        var answers = await Task.WhenAll(queued.Prepend(first));
        // The worker waits for the one slot the first request holds, so the nine queue up and go as one batch.
        Assert.Equal([1, 9], scorer.BatchSizes);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), answers.Select(a => a.Labels.Single()));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * 10f), answers.Select(a => a.Scores.Single()));
    }

    [Fact]
    public async Task ABatchStopsAtMaxBatchRowsButTakesABiggerRequestAlone()
    {
        var scorer = new GatedScorer();
        await using var batcher = new MicroBatcher(scorer, new ServingOptions { BatchConcurrency = 1, MaxBatchRows = 4 });

        var first = batcher.ScoreAsync([0f], 1);
        await scorer.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        var big = batcher.ScoreAsync([1, 2, 3, 4, 5, 6], 6);
        var small = Enumerable.Range(0, 5).Select(i => batcher.ScoreAsync([i], 1)).ToList();
        scorer.Open();

        await Task.WhenAll(small.Append(big).Append(first));
        Assert.Equal([1, 6, 4, 1], scorer.BatchSizes);
    }

    [Fact]
    public async Task AFailingBatchFailsEveryRequestInIt()
    {
        var scorer = new GatedScorer { Fail = true };
        await using var batcher = new MicroBatcher(scorer, new ServingOptions { BatchConcurrency = 1 });

        var first = batcher.ScoreAsync([0f], 1);
        await scorer.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        var queued = Enumerable.Range(0, 3).Select(i => batcher.ScoreAsync([i], 1)).ToList();
        scorer.Open();

        foreach (var request in queued.Prepend(first))
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => request);
        }
    }

    [Fact]
    public async Task AFullQueueRefusesWithA503UntilItDrains()
    {
        var scorer = new GatedScorer();
        await using var batcher = new MicroBatcher(scorer, new ServingOptions { BatchConcurrency = 1, MaxQueuedValues = 4 });

        var first = batcher.ScoreAsync([0f], 1); // scored on this thread, holds the only slot at the gate
        await scorer.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        var queued = Enumerable.Range(1, 4).Select(i => batcher.ScoreAsync([i], 1)).ToList(); // nobody free: 4 values wait, the queue is full
        var refused = await Assert.ThrowsAsync<ModelUnavailableException>(() => batcher.ScoreAsync([9f], 1).WaitAsync(TimeSpan.FromSeconds(10))); // queued instead: a timeout, not a hang
        scorer.Open();
        await Task.WhenAll(queued.Prepend(first));

        Assert.Contains("busy", refused.Message, StringComparison.Ordinal);
        Assert.Equal(6L, (await batcher.ScoreAsync([6f], 1)).Labels.Single()); // drained: accepted again
    }

    [Fact]
    public async Task NoMoreScoringsRunAtOnceThanBatchConcurrency()
    {
        var scorer = new GatedScorer();
        await using var batcher = new MicroBatcher(scorer, new ServingOptions { BatchConcurrency = 2 });

        var inline = new[] { batcher.ScoreAsync([0f], 1), batcher.ScoreAsync([1f], 1) }; // both slots, held at the gate
        await scorer.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        await scorer.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        var queued = Enumerable.Range(2, 20).Select(i => batcher.ScoreAsync([i], 1)).ToList();
        var third = await scorer.Entered.WaitAsync(TimeSpan.FromMilliseconds(300)); // a worker that did not wait for a slot would enter now
        scorer.Open();
        await Task.WhenAll(queued.Concat(inline));

        Assert.False(third, $"a third scoring ran while both slots were held: batches {string.Join(", ", scorer.BatchSizes)}");
        Assert.Equal(22, scorer.BatchSizes.Sum());
    }

    /// <summary>A one-feature scorer whose class is the feature and score ten times it; the first call waits at a gate.</summary>
    private sealed class GatedScorer : IBatchScorer
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public SemaphoreSlim Entered { get; } = new(0);

        public List<int> BatchSizes { get; } = [];

        public bool Fail { get; init; }

        public int Dimension => 1;

        public ScorerKind Kind => ScorerKind.Multiclass;

        public int ScoreWidth => 1;

        public void Open() => _gate.SetResult();

        public async ValueTask ScoreAsync(float[] features, int rows, long[] labels, float[] scores)
        {
            lock (BatchSizes)
            {
                BatchSizes.Add(rows);
            }

            Entered.Release();
            await _gate.Task;
            if (Fail)
            {
                throw new InvalidOperationException("The model broke.");
            }

            for (var i = 0; i < rows; i++)
            {
                labels[i] = (long)features[i];
                scores[i] = features[i] * 10;
            }
        }

        public void Dispose()
        {
        }
    }
}
