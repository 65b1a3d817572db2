using OrleansMl.Backups;
using OrleansMl.Datasets;
using OrleansMl.Experiments;

namespace OrleansMl;

/// <summary>Waits longer than one grain call may take, by calling the grain's bounded wait again until done or the deadline.</summary>
public static class Waiting
{
    public static async Task<BackupJob?> WaitUntilFinishedAsync(this IBackupGrain grain, string id, TimeSpan maxWait, TimeProvider? time = null)
    {
        var clock = time ?? TimeProvider.System;
        var deadline = clock.GetUtcNow() + maxWait;
        while (true)
        {
            var left = deadline - clock.GetUtcNow();
            var job = await grain.GetAsync(id, left > IBackupGrain.MaxWait ? IBackupGrain.MaxWait : left);
            if (job is null || job.IsFinished || clock.GetUtcNow() >= deadline)
            {
                return job;
            }
        }
    }

    public static async Task<DatasetOperation?> WaitUntilFinishedAsync(this IDatasetGrain grain, string operationId, TimeSpan maxWait, TimeProvider? time = null)
    {
        var clock = time ?? TimeProvider.System;
        var deadline = clock.GetUtcNow() + maxWait;
        while (true)
        {
            var left = deadline - clock.GetUtcNow();
            var operation = await grain.WaitAsync(operationId, left > IDatasetGrain.MaxWait ? IDatasetGrain.MaxWait : left);
            if (operation is null || operation.IsFinished || clock.GetUtcNow() >= deadline)
            {
                return operation;
            }
        }
    }

    public static async Task<ExperimentInfo> WaitUntilDoneAsync(this IExperimentGrain grain, TimeSpan maxWait, TimeProvider? time = null)
    {
        var clock = time ?? TimeProvider.System;
        var deadline = clock.GetUtcNow() + maxWait;
        while (true)
        {
            var left = deadline - clock.GetUtcNow();
            var info = await grain.WaitAsync(left > IExperimentGrain.MaxWait ? IExperimentGrain.MaxWait : left);
            if (info.State is not ("running" or "preparing" or "created") || clock.GetUtcNow() >= deadline)
            {
                return info;
            }
        }
    }
}
