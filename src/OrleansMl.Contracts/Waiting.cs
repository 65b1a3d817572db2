using OrleansMl.Backups;
using OrleansMl.Datasets;
using OrleansMl.Experiments;

namespace OrleansMl;

/// <summary>Waits longer than one grain call may take, by calling the grain's bounded wait again until done or the deadline.</summary>
public static class Waiting
{
    public static Task<BackupJob?> WaitUntilFinishedAsync(this IBackupGrain grain, string id, TimeSpan maxWait, TimeProvider? time = null) =>
        UntilAsync(left => grain.GetAsync(id, left), IBackupGrain.MaxWait, job => job is null || job.IsFinished, maxWait, time);

    public static Task<DatasetOperation?> WaitUntilFinishedAsync(this IDatasetGrain grain, string operationId, TimeSpan maxWait, TimeProvider? time = null) =>
        UntilAsync(left => grain.WaitAsync(operationId, left), IDatasetGrain.MaxWait, operation => operation is null || operation.IsFinished, maxWait, time);

    public static Task<ExperimentInfo> WaitUntilDoneAsync(this IExperimentGrain grain, TimeSpan maxWait, TimeProvider? time = null) =>
        UntilAsync(grain.WaitAsync, IExperimentGrain.MaxWait, info => info.State is not ("running" or "preparing" or "created"), maxWait, time);

    /// <summary>Calls <paramref name="wait"/> with at most <paramref name="perCall"/> of the time left until <paramref name="done"/> or the deadline.</summary>
    private static async Task<T> UntilAsync<T>(Func<TimeSpan, Task<T>> wait, TimeSpan perCall, Func<T, bool> done, TimeSpan maxWait, TimeProvider? time)
    {
        var clock = time ?? TimeProvider.System;
        var deadline = clock.GetUtcNow() + maxWait;
        while (true)
        {
            var left = deadline - clock.GetUtcNow();
            var result = await wait(left > perCall ? perCall : left);
            if (done(result) || clock.GetUtcNow() >= deadline)
            {
                return result;
            }
        }
    }
}
