using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansMl.Experiments;
using OrleansMl.Grains.Tests.Datasets;
using OrleansMl.Grains.Tests.Models;

namespace OrleansMl.Grains.Tests.Experiments;

/// <summary>
/// An experiment's plan and runs are stored in pages of <see cref="RunPage.Size"/> beside its small state.
/// A finished experiment's state is copied under new names with 1,234 runs written inline (the layout
/// before paging, and what a backup holds); the grain moves them into pages, reads them back after a
/// restart, writes one page when a run changes, ignores what a crash left past the state's counts, and
/// exports and restores them whole.
/// </summary>
[Collection(DatasetClusterCollection.Name)]
public sealed class ExperimentPagingTests(DatasetClusterFixture fixture)
{
    private const int Runs = 1_234;

    [Fact]
    public async Task ThousandsOfRunsAreStoredInPagesAndReadBackWhole()
    {
        var finished = await BlobExperiments.RunAsync(fixture, await BlobExperiments.DatasetAsync(fixture), "knn");
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.Metadata);
        var original = await ReadAsync<ExperimentState>(storage, "experiment", finished);
        var name = "paged-" + Guid.NewGuid().ToString("N")[..8];
        var runs = Enumerable.Range(0, Runs).Select(i => new RunSummary(
            IRunGrain.KeyOf(name, i), i, new Dictionary<string, string> { ["k"] = $"{i}" }, RunSummary.Succeeded,
            new Dictionary<string, double> { ["accuracy"] = (i * 37 % 1000) / 1000.0 }, 0.1, null)).ToList();
        var inline = new ExperimentState
        {
            Info = original.State!.Info! with { Name = name, RunCounts = new Dictionary<string, int> { [RunSummary.Succeeded] = Runs } },
            Plan = [.. runs.Select(r => new Dictionary<string, string>(r.Params))],
            Runs = runs,
        };
        await storage.WriteStateAsync("experiment", Id(name), new GrainState<ExperimentState>(inline));

        // Activated: moved into three pages, the state holding counts only.
        var experiment = fixture.Grains.GetGrain<IExperimentGrain>(name);
        await AssertListedAsync(experiment, Runs);
        var state = await ReadAsync<ExperimentState>(storage, "experiment", name);
        Assert.Empty(state.State!.Runs);
        Assert.Empty(state.State.Plan);
        Assert.Equal((Runs, Runs), (state.State.PlanCount, state.State.RunCount));
        var sizes = await PageSizesAsync(storage, name, 3);
        Assert.Equal([500, 500, 234], sizes);

        // Deleting run 700 writes its page; a restart reads it back.
        await experiment.DeleteRunAsync(700);
        var page = await ReadAsync<RunPage>(storage, RunPage.StateName(1), name);
        Assert.Equal(RunSummary.Deleted, page.State!.Runs[200].Status);
        await ReactivateAsync(experiment);
        await AssertListedAsync(experiment, Runs - 1);

        // A write cut short by a crash: the last page holds a run the state never counted; it is ignored.
        var last = await ReadAsync<RunPage>(storage, RunPage.StateName(2), name);
        last.State!.Runs.Add(runs[0] with { Index = Runs, Id = IRunGrain.KeyOf(name, Runs) });
        last.State.Plan.Add(new Dictionary<string, string> { ["k"] = "extra" });
        await storage.WriteStateAsync(RunPage.StateName(2), Id(name), last);
        await ReactivateAsync(experiment);
        await AssertListedAsync(experiment, Runs - 1);

        // Exported whole (the runs inline, as a backup holds them) and restored under another name.
        var exported = await experiment.ExportStateAsync();
        var serializer = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<Serializer>();
        Assert.Equal(Runs, serializer.Deserialize<ExperimentState>(exported!)!.Runs.Count);
        var copy = fixture.Grains.GetGrain<IExperimentGrain>(name + "-copy");
        await copy.RestoreStateAsync(exported!);
        await copy.RestoreStateAsync(exported!); // repeated after a restore that stopped half-way: nothing to do
        await AssertListedAsync(copy, Runs - 1);
        await Assert.ThrowsAsync<ResourceConflictException>(() => experiment.RestoreStateAsync(serializer.SerializeToArray(inline)));
    }

    /// <summary>Every listed run, the best by accuracy first: the listing reads all pages in order.</summary>
    private static async Task AssertListedAsync(IExperimentGrain experiment, int count)
    {
        var listed = await experiment.ListRunsAsync(take: 10_000);
        Assert.Equal(count, listed.Count);
        Assert.Equal(Enumerable.Range(0, Runs).Where(i => count == Runs || i != 700), listed.Select(r => r.Index));
        Assert.All(listed, r => Assert.Equal($"{r.Index}", r.Params["k"]));
        var best = await experiment.ListRunsAsync(sortBy: "accuracy", take: 3);
        Assert.Equal([0.999, 0.999, 0.998], best.Select(r => r.Metrics["accuracy"]));
        Assert.Equal(count, (await experiment.GetAsync())!.RunCounts[RunSummary.Succeeded]);
    }

    private static async Task<int[]> PageSizesAsync(IGrainStorage storage, string name, int pages)
    {
        var sizes = new int[pages];
        for (var p = 0; p < pages; p++)
        {
            var page = await ReadAsync<RunPage>(storage, RunPage.StateName(p), name);
            Assert.Equal(page.State!.Plan.Count, page.State.Runs.Count);
            sizes[p] = page.State.Runs.Count;
        }

        return sizes;
    }

    private static async Task<GrainState<T>> ReadAsync<T>(IGrainStorage storage, string stateName, string experiment)
        where T : new()
    {
        var state = new GrainState<T>(new T());
        await storage.ReadStateAsync(stateName, Id(experiment), state);
        Assert.True(state.RecordExists, $"{stateName} of {experiment}");
        return state;
    }

    private static GrainId Id(string experiment) => GrainId.Create("orleansml.experiment", experiment);

    private static async Task ReactivateAsync(IExperimentGrain experiment)
    {
        await experiment.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await experiment.GetAsync();
                return;
            }
            catch (Exception) when (attempt < 20)
            {
                await Task.Delay(100); // the old activation may still be leaving
            }
        }
    }
}
