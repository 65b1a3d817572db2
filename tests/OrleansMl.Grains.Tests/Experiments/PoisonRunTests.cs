using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using OrleansMl.Experiments;
using OrleansMl.Grains.Tests.Datasets;
using OrleansMl.Grains.Tests.Models;

namespace OrleansMl.Grains.Tests.Experiments;

/// <summary>
/// A run whose silo stops under it is taken over by the next activation, but not without end: one
/// that has taken <see cref="RunGrain.MaxTakeovers"/> silos with it already (a run that runs a silo out
/// of memory would take every silo in turn) fails with the reason. The stored state of such a run is
/// written as a silo's death would leave it, then the run is activated.
/// </summary>
[Collection(DatasetClusterCollection.Name)]
public sealed class PoisonRunTests(DatasetClusterFixture fixture)
{
    [Theory]
    [InlineData(RunGrain.MaxTakeovers, RunSummary.Failed)]
    [InlineData(RunGrain.MaxTakeovers - 1, RunSummary.Succeeded)]
    public async Task ARunThatKeepsLosingItsSiloStopsBeingRestarted(int takeovers, string outcome)
    {
        var experiment = await BlobExperiments.RunAsync(fixture, await BlobExperiments.DatasetAsync(fixture), "knn");
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.Metadata);
        var finished = new GrainState<RunState>(new RunState());
        await storage.ReadStateAsync("run", GrainId.Create("orleansml.run", IRunGrain.KeyOf(experiment, 0)), finished);

        // The same run, stored as it is left by a silo that stopped while it trained.
        var key = IRunGrain.KeyOf(experiment, 0) + "-copy";
        var stored = finished.State!.Info!;
        var interrupted = stored with { Summary = stored.Summary with { Status = RunSummary.Running, Error = null }, FinishedAt = null };
        await storage.WriteStateAsync("run", GrainId.Create("orleansml.run", key),
            new GrainState<RunState>(new RunState { Request = finished.State!.Request, Info = interrupted, Takeovers = takeovers }));

        var run = fixture.Grains.GetGrain<IRunGrain>(key);
        var info = await run.GetAsync();
        for (var waited = 0; info!.Summary.Status == RunSummary.Running && waited < 600; waited++)
        {
            await Task.Delay(100);
            info = await run.GetAsync();
        }

        Assert.Equal(outcome, info.Summary.Status);
        if (outcome == RunSummary.Failed)
        {
            Assert.Contains($"stopped {RunGrain.MaxTakeovers + 1} times", info.Summary.Error, StringComparison.Ordinal);
        }
    }
}
