using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OrleansMl.Datasets;
using OrleansMl.Experiments;
using OrleansMl.Retention;
using OrleansMl.Storage.Artifacts;
using OrleansMl.Testing;

namespace OrleansMl.Grains.Tests.Retention;

/// <summary>
/// The retention sweep deletes prediction logs, audit entries and metric histories older than their
/// settings, and nothing newer or elsewhere. The silo's clock is moved forward to age what was
/// written, on a one-silo cluster of its own.
/// </summary>
public sealed class RetentionTests : IAsyncLifetime
{
    private readonly MovableClock _clock = new();
    private LocalCluster _local = null!;

    private IArtifactStore Store => _local.Cluster.Silos[0].ServiceProvider.GetRequiredService<IArtifactStore>();

    public async Task InitializeAsync() => _local = await LocalCluster.StartAsync(
        silos: 1,
        options => (options.Retention.PredictionLogDays, options.Retention.AuditDays, options.Retention.MetricHistoryDays) = (30, 400, 2),
        silo => silo.Services.AddSingleton<TimeProvider>(_clock));

    public async Task DisposeAsync() => await _local.DisposeAsync();

    [Fact]
    public async Task OldLogsAndHistoriesGoAndRecentOnesStay()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        string Day(int daysAgo) => today.AddDays(-daysAgo).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string[] old = [$"endpoints/churn/predictions/{Day(31)}/a.jsonl", $"endpoints/gone/predictions/{Day(90)}/b.jsonl", $"audit/{Day(401)}/c.json"];
        string[] recent = [$"endpoints/churn/predictions/{Day(29)}/d.jsonl", $"audit/{Day(399)}/e.json", $"endpoints/churn/notes/{Day(90)}/f.txt", $"uploads/{Day(900)}/g.csv"];
        foreach (var path in old.Concat(recent))
        {
            await Store.WriteAsync(path, new MemoryStream([1]));
        }

        var history = await FinishedRunHistoryAsync();
        var grain = _local.Cluster.Client.GetGrain<IRetentionGrain>(IRetentionGrain.Key);

        var first = await grain.SweepAsync(TimeSpan.Zero);

        Assert.Equal(new RetentionReport(2, 1, 0), first);
        foreach (var path in old)
        {
            Assert.Null(await Store.GetInfoAsync(path));
        }

        foreach (var path in recent)
        {
            Assert.NotNull(await Store.GetInfoAsync(path));
        }

        Assert.Null(await grain.SweepAsync(TimeSpan.FromHours(1))); // swept a moment ago
        // Version folders no dataset lists: left by a dead dataset grain's operation, of a listed dataset and of a deleted one.
        string[] orphans = ["datasets/retention-blobs/v9/part-00000.parquet", "datasets/retention-blobs/v9/part-00001.parquet", "datasets/gone/v2/part-00000.parquet"];
        foreach (var path in orphans)
        {
            await Store.WriteAsync(path, new MemoryStream([1]));
        }

        Assert.Equal(0, (await grain.SweepAsync(TimeSpan.Zero))!.OrphanedVersions); // written just now: maybe still being written
        var listed = (await _local.Cluster.Client.GetGrain<IDatasetGrain>("retention-blobs").GetAsync())!.Versions;
        _clock.Offset = TimeSpan.FromDays(3); // the run finished three days ago now
        var later = await grain.SweepAsync(TimeSpan.Zero);

        Assert.True(later!.MetricHistoryFiles > 0);
        Assert.Equal(2, later.OrphanedVersions);
        foreach (var path in orphans)
        {
            Assert.Null(await Store.GetInfoAsync(path));
        }

        foreach (var version in listed) // the import and the experiment's split: listed, untouched
        {
            Assert.NotNull(await Store.GetInfoAsync(DatasetPaths.Manifest("retention-blobs", version.Version)));
        }

        Assert.Null(await FirstAsync(history));
        Assert.NotNull(await Store.GetInfoAsync($"uploads/{Day(900)}/g.csv"));
    }

    /// <summary>Trains a logistic regression (it logs a loss per iteration) and returns its run's metric history folder.</summary>
    private async Task<string> FinishedRunHistoryAsync()
    {
        var lines = new StringBuilder();
        var random = new Random(3);
        for (var i = 0; i < 200; i++)
        {
            lines.Append(CultureInfo.InvariantCulture, $$"""{"features":[{{(i % 2 * 10) + random.NextDouble()}},{{random.NextDouble()}}],"label":{{i % 2}}}""").Append('\n');
        }

        await Store.WriteAsync("uploads/retention/blobs.jsonl", new MemoryStream(Encoding.UTF8.GetBytes(lines.ToString())));
        var dataset = _local.Cluster.Client.GetGrain<IDatasetGrain>("retention-blobs");
        var import = await dataset.WaitUntilFinishedAsync((await dataset.StartImportAsync(new ImportRequest(new DatasetSource(Artifact: "uploads/retention/blobs.jsonl")))).Id, TimeSpan.FromMinutes(2));
        Assert.Equal(DatasetOperation.Succeeded, import!.State);
        var experiment = _local.Cluster.Client.GetGrain<IExperimentGrain>("retention-exp");
        await experiment.StartAsync(new ExperimentSpec(new DatasetRef("retention-blobs"), "label", "features", "multiclass", "logistic_regression"));
        Assert.Equal("succeeded", (await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(2))).State);
        var run = (await _local.Cluster.Client.GetGrain<IRunGrain>(IRunGrain.KeyOf("retention-exp", 0)).GetAsync())!;
        Assert.NotNull(await Store.GetInfoAsync((await FirstAsync(run.MetricHistoryPath))!));
        return run.MetricHistoryPath;
    }

    private async Task<string?> FirstAsync(string prefix)
    {
        await foreach (var file in Store.ListAsync(prefix))
        {
            return file.Path;
        }

        return null;
    }

    private sealed class MovableClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }
}
