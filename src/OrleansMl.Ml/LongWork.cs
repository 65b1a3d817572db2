namespace OrleansMl.Ml;

/// <summary>
/// Work that computes for a long time (a training epoch, a k-NN search of a query batch): run on a thread of
/// its own rather than on one of the thread pool's, which has about one thread per core and serves every grain
/// call. Several such pieces at once (three partitions' searches on two cores) then share the cores as the
/// operating system schedules them, instead of the last waiting for a pool thread to come free, and grain calls
/// are not held up behind them.
/// </summary>
public static class LongWork
{
    public static Task<T> Run<T>(Func<T> work, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(work, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public static Task Run(Action work, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(work, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
