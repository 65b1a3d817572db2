using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansMl.Retention;

/// <summary>Asks the cluster's <see cref="IRetentionGrain"/> to sweep every <see cref="RetentionOptions.SweepInterval"/>, from every silo (one sweep runs per interval, whichever silos are up).</summary>
public sealed partial class RetentionSweeper(IGrainFactory grains, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.SweepInterval;
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await grains.GetGrain<IRetentionGrain>(IRetentionGrain.Key).SweepAsync(interval / 2) is { } report)
                {
                    LogSwept(logger, report.PredictionLogFiles, report.AuditFiles, report.MetricHistoryFiles);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e); // the next tick tries again
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Predictions} prediction log files, {Audit} audit entries, {Metrics} metric history files")]
    private static partial void LogSwept(ILogger logger, int predictions, int audit, int metrics);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The retention sweep failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
