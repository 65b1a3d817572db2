using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using OrleansMl.Datasets;
using OrleansMl.Experiments;
using OrleansMl.Testing;

namespace OrleansMl.Grains.Tests.Experiments;

/// <summary>
/// Runs on a 3-silo cluster lose the grains they call — a silo dies under them, or a call fails as it
/// does while the cluster has not yet noticed a dead silo — and every run must still succeed.
/// </summary>
public sealed class ExperimentFailoverTests : IAsyncLifetime
{
    private LocalCluster _local = null!;

    /// <summary>Calls that fail as if their callee's silo had died; set by a test before it starts.</summary>
    private InjectedFailure? _failure;

    private sealed class InjectedFailure(string callerGrainType, Type callee, string method, int count)
    {
        private int _remaining = count;

        public bool Used => _remaining <= 0;

        public bool Fails(IOutgoingGrainCallContext call) =>
            call.SourceId?.Type.ToString() == callerGrainType && call.InterfaceMethod.DeclaringType == callee && call.InterfaceMethod.Name == method
            && Interlocked.Decrement(ref _remaining) >= 0;
    }

    public async Task InitializeAsync() => _local = await LocalCluster.StartAsync(
        silos: 3,
        options => options.Datasets.ImportRoots = [FashionMnist.DatasetDirectory],
        silo =>
        {
            silo.Services.DeclareDeadSilosQuickly();
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(5)); // wake-ups within seconds, not a minute
            silo.AddOutgoingGrainCallFilter(call => _failure?.Fails(call) == true
                ? throw new SiloUnavailableException($"injected: the silo of {call.TargetId} is dead but not yet declared so")
                : call.Invoke());
        });

    public async Task DisposeAsync() => await _local.DisposeAsync();

    [Fact]
    public async Task AnExperimentCompletesWithEveryRunAccountedForAfterASiloDies()
    {
        var grains = _local.Cluster.Client;
        var experiment = await StartExperimentAsync("failover");

        // Wait until runs are in flight, then kill the silo holding the split's training set, which every run asks for.
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while ((await experiment.ListRunsAsync()).All(r => r.Status != RunSummary.Running))
        {
            Assert.True(DateTime.UtcNow < deadline, "no run started within a minute");
            await Task.Delay(100);
        }

        var unfinishedAtKill = (await experiment.ListRunsAsync()).Count(r => !r.IsFinished);
        var trainHost = await grains.GetGrain<IManagementGrain>(0).GetActivationAddress(grains.GetGrain<IDatasetGrain>("failover-train"));
        await _local.Cluster.KillSiloAsync(_local.Cluster.Silos.FirstOrDefault(s => s.SiloAddress.Equals(trainHost)) ?? _local.Cluster.Silos[2]);
        await _local.Cluster.WaitForLivenessToStabilizeAsync(didKill: true);

        var done = await RetryAsync(() => experiment.WaitAsync(TimeSpan.FromSeconds(20)), e => e.State is "succeeded" or "failed" or "cancelled");
        var runs = await RetryAsync(() => experiment.ListRunsAsync(), _ => true);

        var details = string.Join("; ", await Task.WhenAll(runs.Select(async r =>
        {
            var info = await RetryAsync(() => grains.GetGrain<IRunGrain>(r.Id).GetAsync(), _ => true);
            return $"{r.Index}: {r.Status} / run says {info?.Summary.Status}, attempts {info?.Attempts}, error {info?.Summary.Error}";
        })));
        Assert.True(unfinishedAtKill > 0);
        Assert.True(done.State == "succeeded", $"{done.State}: {details}");
        Assert.Equal(6, runs.Count);
        Assert.All(runs, r =>
        {
            Assert.Equal(RunSummary.Succeeded, r.Status);
            Assert.InRange(r.Metrics["accuracy"], 0.7, 1.0);
        });
    }

    [Theory]
    [InlineData("orleansml.run", typeof(IDatasetGrain), nameof(IDatasetGrain.GetAsync), 2)] // the run starts a new attempt
    [InlineData("orleansml.experiment", typeof(IRunGrain), nameof(IRunGrain.StartAsync), 0)] // the experiment's watchdog starts the run
    public async Task CallsLostToADeadSiloAreMadeAgainAndEveryRunSucceeds(string caller, Type callee, string method, int extraAttempts)
    {
        _failure = new InjectedFailure(caller, callee, method, count: 2);
        var experiment = await StartExperimentAsync("lost-calls");

        var done = await RetryAsync(() => experiment.WaitAsync(TimeSpan.FromSeconds(20)), e => e.State is "succeeded" or "failed" or "cancelled");
        var runs = await Task.WhenAll((await RetryAsync(() => experiment.ListRunsAsync(), _ => true))
            .Select(r => RetryAsync(() => _local.Cluster.Client.GetGrain<IRunGrain>(r.Id).GetAsync(), _ => true)));
        var details = string.Join("; ", runs.Select(r => $"{r!.Summary.Index}: {r.Summary.Status}, attempts {r.Attempts} on {string.Join(" ", r.Silos)}, error {r.Summary.Error}"));

        Assert.True(_failure.Used, "the injected failures were not all used");
        Assert.True(done.State == "succeeded", $"{done.State}: {details}");
        Assert.Equal(6, runs.Length);
        Assert.All(runs, r => Assert.Equal(RunSummary.Succeeded, r!.Summary.Status));

        // At least one more attempt per injected failure; a loaded machine can add more (a silo wrongly declared dead moves its runs).
        Assert.True(runs.Sum(r => r!.Attempts) >= runs.Length + extraAttempts, details);
    }

    [Fact]
    public async Task ARunHandedOverByCleanDeactivationsIsNeverCountedAsLostAndAnExperimentWithoutItsTimerWakesByItself()
    {
        await ImportFashionAsync();
        var grains = _local.Cluster.Client;
        var management = grains.GetGrain<IManagementGrain>(0);
        var experiment = grains.GetGrain<IExperimentGrain>("handover");
        await experiment.StartAsync(new ExperimentSpec(
            new DatasetRef("fashion"), "label", "pixels", "multiclass", "logistic_regression", TestFraction: 0.3,
            Params: new Dictionary<string, string> { ["max_iterations"] = "100000", ["tolerance"] = "1e-12" }, MaxRuns: 1)); // trains far longer than the test
        var id = (await RetryAsync(() => experiment.ListRunsAsync(), r => r.Count == 1 && r[0].Status == RunSummary.Running))[0].Id;
        var run = grains.GetGrain<IRunGrain>(id);

        // More clean stops than a run may lose silos (MaxTakeovers): each is a handover, as on SIGTERM, so the run goes on.
        for (var stop = 1; stop <= RunGrain.MaxTakeovers + 2; stop++)
        {
            await management.DeactivateGrain(run.GetGrainId());
            var info = await RetryAsync(() => run.GetAsync(), i => i!.Attempts > stop || i.Summary.IsFinished, TimeSpan.FromSeconds(30));
            Assert.True(info!.Summary.Status == RunSummary.Running && info.Attempts == stop + 1, $"after stop {stop}: {info.Summary.Status}, attempts {info.Attempts}, {info.Summary.Error}");
        }

        // The experiment loses its activation (and so its watchdog timer), then the run its own: nothing calls either.
        // Only the experiment's reminder can bring it back, whose watchdog then wakes the run.
        await management.DeactivateGrain(experiment.GetGrainId());
        await management.DeactivateGrain(run.GetGrainId());
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (await management.GetActivationAddress(run) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "neither the experiment nor the run came back by itself within 45 s");
            await Task.Delay(250);
        }

        var resumed = await RetryAsync(() => run.GetAsync(), i => i!.Attempts == RunGrain.MaxTakeovers + 4, TimeSpan.FromSeconds(30));
        Assert.Equal(RunSummary.Running, resumed!.Summary.Status);

        await experiment.CancelAsync();
        var done = await RetryAsync(() => experiment.WaitAsync(TimeSpan.FromSeconds(20)), e => e.State is "succeeded" or "failed" or "cancelled");
        Assert.Equal("cancelled", done.State);
    }

    private async Task ImportFashionAsync()
    {
        var dataset = _local.Cluster.Client.GetGrain<IDatasetGrain>("fashion");
        var import = await dataset.WaitUntilFinishedAsync((await dataset.StartImportAsync(new ImportRequest(
            new DatasetSource(FashionMnist.PathOf(FashionMnist.TestImages), LabelsPath: FashionMnist.PathOf(FashionMnist.TestLabels)),
            Options: new ImportOptions(Partitions: 6)))).Id, TimeSpan.FromMinutes(2));
        Assert.Equal(DatasetOperation.Succeeded, import!.State);
    }

    /// <summary>
    /// Data-parallel torch training loses the silo of one of its replicas mid-run: every replica starts again from
    /// the last checkpoint (on the silos that remain) within the same attempt, and what is lost is at most the
    /// steps since that checkpoint.
    /// </summary>
    [Fact]
    public async Task DataParallelTrainingGoesOnFromItsLastCheckpointAfterAReplicasSiloDies()
    {
        var grains = _local.Cluster.Client;
        var store = _local.Cluster.Silos[0].ServiceProvider.GetRequiredService<OrleansMl.Storage.Artifacts.IArtifactStore>();
        await store.WriteAsync("uploads/ddp-failover.jsonl", ThreeClassPoints.JsonLines(2_304, 4)); // 768 rows in each of 3 partitions
        var dataset = grains.GetGrain<IDatasetGrain>("ddp-failover");
        var import = await dataset.WaitUntilFinishedAsync((await dataset.StartImportAsync(new ImportRequest(new DatasetSource(Artifact: "uploads/ddp-failover.jsonl"), Options: new ImportOptions(Partitions: 3)))).Id, TimeSpan.FromMinutes(2));
        Assert.Equal(DatasetOperation.Succeeded, import!.State);

        const int CheckpointSteps = 25;
        var experiment = grains.GetGrain<IExperimentGrain>("ddp-failover");
        await experiment.StartAsync(new ExperimentSpec(new DatasetRef("ddp-failover"), "label", "features", "multiclass", "torch", Eval: new DatasetRef("ddp-failover"),
            Params: new Dictionary<string, string>
            {
                ["workers"] = "partitions", ["hidden"] = "16", ["batch_size"] = "2", ["epochs"] = "6", ["lr"] = "0.01", ["checkpoint_steps"] = $"{CheckpointSteps}",
            }));

        // Once the first epoch's checkpoint is written, kill a silo that holds a replica but not the run itself.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        RunInfo? info = null;
        while (info is null || await store.GetInfoAsync(info.Artifacts.GetValueOrDefault("checkpoint") ?? $"runs/ddp-failover/00000/checkpoint.torch") is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "no checkpoint within two minutes");
            await Task.Delay(100);
            var runs = await experiment.ListRunsAsync();
            info = runs.Count == 0 ? null : await grains.GetGrain<IRunGrain>(runs[0].Id).GetAsync();
        }

        var management = grains.GetGrain<IManagementGrain>(0);
        var runHost = await management.GetActivationAddress(grains.GetGrain<IRunGrain>(info.Summary.Id));
        var partitionHosts = new List<SiloAddress>();
        for (var p = 0; p < 3; p++)
        {
            if (await management.GetActivationAddress(grains.GetGrain<IPartitionGrain>(DatasetPaths.PartitionKey("ddp-failover", 1, p))) is { } host)
            {
                partitionHosts.Add(host);
            }
        }

        var victim = _local.Cluster.Silos.FirstOrDefault(s => !s.SiloAddress.Equals(runHost) && partitionHosts.Contains(s.SiloAddress) && s != _local.Cluster.Silos[0]);
        Assert.True(victim is not null, "no silo holds a replica without holding the run");
        await _local.Cluster.KillSiloAsync(victim);
        await _local.Cluster.WaitForLivenessToStabilizeAsync(didKill: true);

        var done = await RetryAsync(() => experiment.WaitAsync(TimeSpan.FromSeconds(20)), e => e.State is "succeeded" or "failed" or "cancelled", TimeSpan.FromMinutes(4));
        var run = Assert.Single(await RetryAsync(() => experiment.ListRunsAsync(), _ => true));
        info = await RetryAsync(() => grains.GetGrain<IRunGrain>(run.Id).GetAsync(), _ => true);
        Assert.True(done.State == "succeeded", $"{done.State}: {run.Error}");
        Assert.Equal(1, info!.Attempts); // recovered inside the attempt, not by starting the run again
        Assert.True(run.Metrics["recoveries"] >= 1, "no replica was started again");

        // The history: the last step trained before the recovery, and the checkpoint's step it went on from.
        var lastBefore = 0L;
        var resumedAt = -1L;
        await foreach (var segment in store.ListAsync(info.MetricHistoryPath))
        {
            await using var content = await store.OpenReadAsync(segment.Path);
            using var reader = new StreamReader(content);
            while (resumedAt < 0 && await reader.ReadLineAsync() is { } line)
            {
                using var entry = System.Text.Json.JsonDocument.Parse(line);
                var step = entry.RootElement.GetProperty("step").GetInt64();
                if (line.Contains("\"recoveries\"", StringComparison.Ordinal) && !line.Contains("\"accuracy\"", StringComparison.Ordinal))
                {
                    resumedAt = step;
                }
                else if (line.Contains("\"step_loss\"", StringComparison.Ordinal))
                {
                    lastBefore = Math.Max(lastBefore, step);
                }
            }
        }

        Assert.True(resumedAt > 0, "the history records no recovery");
        Assert.InRange(lastBefore - resumedAt, 0, CheckpointSteps);
        Assert.InRange(run.Metrics["accuracy"], 0.8, 1.0);
    }

    /// <summary>
    /// A torch run trained inside its own run grain (workers=run) loses its silo after an epoch's checkpoint: the experiment
    /// starts it again on a silo that remains, and it goes on from the checkpoint's epoch instead of the first.
    /// </summary>
    [Fact]
    public async Task ATorchRunWhoseSiloDiesGoesOnFromItsLastEpochsCheckpoint()
    {
        var grains = _local.Cluster.Client;
        var store = _local.Cluster.Silos[0].ServiceProvider.GetRequiredService<OrleansMl.Storage.Artifacts.IArtifactStore>();
        await store.WriteAsync("uploads/run-failover.jsonl", ThreeClassPoints.JsonLines(2_304, 6));
        var dataset = grains.GetGrain<IDatasetGrain>("run-failover");
        var import = await dataset.WaitUntilFinishedAsync((await dataset.StartImportAsync(new ImportRequest(new DatasetSource(Artifact: "uploads/run-failover.jsonl"), Options: new ImportOptions(Partitions: 3)))).Id, TimeSpan.FromMinutes(2));
        Assert.Equal(DatasetOperation.Succeeded, import!.State);

        // The first silo hosts the test cluster's membership and is never killed: try again (a new experiment) until the run lives elsewhere.
        var management = grains.GetGrain<IManagementGrain>(0);
        for (var attempt = 0; ; attempt++)
        {
            var name = $"run-failover-{attempt}";
            var experiment = grains.GetGrain<IExperimentGrain>(name);
            await experiment.StartAsync(new ExperimentSpec(new DatasetRef("run-failover"), "label", "features", "multiclass", "torch", Eval: new DatasetRef("run-failover"),
                Params: new Dictionary<string, string> { ["workers"] = "run", ["hidden"] = "16", ["batch_size"] = "2", ["epochs"] = "5", ["lr"] = "0.01" }));
            var checkpoint = $"runs/{name}/00000/checkpoint.torch";
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (await store.GetInfoAsync(checkpoint) is null || (await OrleansMl.Experiments.MetricLog.EpochValuesAsync(store, OrleansMl.Experiments.MetricLog.PrefixOf(name, 0), "accuracy")).Count == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "no checkpoint and first epoch logged within two minutes");
                await Task.Delay(100);
            }

            var run = (await experiment.ListRunsAsync()).Single();
            var host = await management.GetActivationAddress(grains.GetGrain<IRunGrain>(run.Id));
            if (host is null || host.Equals(_local.Cluster.Silos[0].SiloAddress))
            {
                Assert.True(attempt < 8, "eight runs in a row lived on the first silo");
                await experiment.CancelAsync();
                continue;
            }

            await _local.Cluster.KillSiloAsync(_local.Cluster.Silos.Single(s => s.SiloAddress.Equals(host)));
            await _local.Cluster.WaitForLivenessToStabilizeAsync(didKill: true);

            var done = await RetryAsync(() => experiment.WaitAsync(TimeSpan.FromSeconds(20)), e => e.State is "succeeded" or "failed" or "cancelled", TimeSpan.FromMinutes(4));
            run = Assert.Single(await RetryAsync(() => experiment.ListRunsAsync(), _ => true));
            var info = await RetryAsync(() => grains.GetGrain<IRunGrain>(run.Id).GetAsync(), _ => true);
            Assert.True(done.State == "succeeded", $"{done.State}: {run.Error}");
            Assert.True(info!.Attempts >= 2, "the run was not started again");

            // Every epoch is in the history, and the first only once: the run went on from its checkpoint, not from the start.
            var epochs = (await OrleansMl.Experiments.MetricLog.EpochValuesAsync(store, info.MetricHistoryPath, "accuracy")).Select(e => e.Epoch).ToList();
            Assert.Equal([1, 2, 3, 4, 5], epochs.Distinct().Order());
            Assert.Single(epochs, 1);
            Assert.Equal(5, run.Metrics["epochs"]);
            Assert.InRange(run.Metrics["accuracy"], 0.8, 1.0);
            return;
        }
    }

    /// <summary>Imports the Fashion-MNIST test set in 6 partitions and starts a 6-run k-NN sweep over it, 3 at a time.</summary>
    private async Task<IExperimentGrain> StartExperimentAsync(string name)
    {
        await ImportFashionAsync();
        var experiment = _local.Cluster.Client.GetGrain<IExperimentGrain>(name);
        await experiment.StartAsync(new ExperimentSpec(
            new DatasetRef("fashion"), "label", "pixels", "multiclass", "knn",
            TestFraction: 0.3,
            SearchSpace: new Dictionary<string, ParamRange> { ["k"] = new(Min: 1, Max: 9, Integer: true) },
            Strategy: "random", MaxRuns: 6, MaxConcurrentRuns: 3, Seed: 3));
        return experiment;
    }

    /// <summary>Calls made while the cluster notices the dead silo can fail; a client retries them.</summary>
    private static async Task<T> RetryAsync<T>(Func<Task<T>> call, Func<T, bool> done, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromMinutes(2));
        while (true)
        {
            try
            {
                var result = await call();
                if (done(result) || DateTime.UtcNow > deadline)
                {
                    return result;
                }

                await Task.Delay(100);
            }
            catch (Exception e) when (e is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }
}
