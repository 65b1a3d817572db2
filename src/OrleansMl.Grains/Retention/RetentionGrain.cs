using System.Globalization;
using Microsoft.Extensions.Options;
using OrleansMl.Audit;
using OrleansMl.Catalog;
using OrleansMl.Datasets;
using OrleansMl.Experiments;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Retention;

/// <summary>
/// Deletes prediction log segments and audit entries of days older than their retention, and the metric
/// histories of runs that finished before theirs, and the rows SQL queries kept for paging once they expire. Files are found by listing their folders, whose
/// paths carry the day (<c>endpoints/{name}/predictions/{day}/…</c>, <c>audit/{day}/…</c>), so logs of
/// deleted endpoints are collected too. Nothing a resource's state points at is touched.
/// </summary>
[GrainType("orleansml.retention")]
public sealed class RetentionGrain(IArtifactStore store, IOptions<RetentionOptions> options, TimeProvider time) : Grain, IRetentionGrain
{
    private DateTimeOffset? _lastSweep;

    public async Task<RetentionReport?> SweepAsync(TimeSpan notWithin)
    {
        var now = time.GetUtcNow();
        if (_lastSweep is { } last && now - last < notWithin)
        {
            return null;
        }

        _lastSweep = now;
        var settings = options.Value;
        var predictions = settings.PredictionLogDays == 0 ? 0 : await DeleteOlderAsync("endpoints/", 3, p => p.Length > 3 && p[2] == "predictions", Cutoff(now, settings.PredictionLogDays));
        var audit = settings.AuditDays == 0 ? 0 : await DeleteOlderAsync(AuditPaths.Folder, 1, _ => true, Cutoff(now, settings.AuditDays));
        var histories = settings.MetricHistoryDays == 0 ? 0 : await DeleteMetricHistoriesAsync(now.AddDays(-settings.MetricHistoryDays));
        var orphans = settings.OrphanHours == 0 ? 0 : await DeleteOrphanedVersionsAsync(now.AddHours(-settings.OrphanHours));
        var results = settings.SqlResultHours == 0 ? 0 : await DeleteSqlResultsAsync(now.AddHours(-settings.SqlResultHours));
        return new RetentionReport(predictions, audit, histories, orphans, results);
    }

    private static DateOnly Cutoff(DateTimeOffset now, int days) => DateOnly.FromDateTime(now.UtcDateTime).AddDays(-days);

    /// <summary>Deletes the files under <paramref name="prefix"/> whose path segment <paramref name="daySegment"/> is a day before <paramref name="cutoff"/>.</summary>
    private async Task<int> DeleteOlderAsync(string prefix, int daySegment, Func<string[], bool> applies, DateOnly cutoff)
    {
        var old = new List<string>();
        await foreach (var file in store.ListAsync(prefix))
        {
            var segments = file.Path.Split('/');
            if (segments.Length > daySegment + 1 && applies(segments)
                && DateOnly.TryParseExact(segments[daySegment], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day < cutoff)
            {
                old.Add(file.Path);
            }
        }

        foreach (var path in old)
        {
            await store.DeleteAsync(path);
        }

        return old.Count;
    }

    /// <summary>
    /// Finds version folders (<c>datasets/{name}/v{n}/</c>) untouched since <paramref name="untouchedSince"/>
    /// and asks each dataset to delete those it does not know, of deleted datasets too.
    /// </summary>
    private async Task<int> DeleteOrphanedVersionsAsync(DateTimeOffset untouchedSince)
    {
        var newest = new Dictionary<(string Dataset, int Version), DateTimeOffset>();
        await foreach (var file in store.ListAsync(DatasetPaths.Folder))
        {
            var segments = file.Path.Split('/');
            if (segments.Length > 3 && segments[2].StartsWith('v')
                && int.TryParse(segments[2].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                var key = (segments[1], version);
                newest[key] = newest.TryGetValue(key, out var seen) && seen > file.LastModified ? seen : file.LastModified;
            }
        }

        var deleted = 0;
        foreach (var dataset in newest.Where(f => f.Value < untouchedSince).GroupBy(f => f.Key.Dataset, f => f.Key.Version))
        {
            deleted += (await GrainFactory.GetGrain<IDatasetGrain>(dataset.Key).CollectOrphansAsync([.. dataset])).Count;
        }

        return deleted;
    }

    /// <summary>Deletes the kept rows of SQL queries (every file of a query's folder) whose newest file is older than <paramref name="writtenBefore"/>.</summary>
    private async Task<int> DeleteSqlResultsAsync(DateTimeOffset writtenBefore)
    {
        var newest = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await foreach (var file in store.ListAsync(Sql.SqlResultFiles.Folder))
        {
            var id = file.Path.Split('/')[1];
            newest[id] = newest.TryGetValue(id, out var seen) && seen > file.LastModified ? seen : file.LastModified;
        }

        var deleted = 0;
        foreach (var id in newest.Where(r => r.Value < writtenBefore).Select(r => r.Key))
        {
            deleted += await Sql.SqlResultFiles.DeleteAsync(store, id);
        }

        return deleted;
    }

    private async Task<int> DeleteMetricHistoriesAsync(DateTimeOffset finishedBefore)
    {
        var deleted = 0;
        foreach (var experiment in await GrainFactory.GetGrain<ICatalogGrain>(ICatalogGrain.Experiments).ListAsync())
        {
            foreach (var summary in await GrainFactory.GetGrain<IExperimentGrain>(experiment).ListRunsAsync(null, null, 0, 10_000))
            {
                if (!summary.IsFinished
                    || await GrainFactory.GetGrain<IRunGrain>(summary.Id).GetAsync() is not { FinishedAt: { } finished, MetricHistoryPath: { Length: > 0 } history }
                    || finished >= finishedBefore)
                {
                    continue;
                }

                deleted += await store.DeleteAllAsync(history);
            }
        }

        return deleted;
    }
}
