using OrleansMl.Experiments;
using OrleansMl.Grains.Tests.Datasets;
using OrleansMl.Models;

namespace OrleansMl.Grains.Tests.Models;

[Collection(DatasetClusterCollection.Name)]
public sealed class ModelRegistryTests(DatasetClusterFixture fixture)
{
    /// <summary>A finished k-NN experiment with three runs on two well-separated blobs.</summary>
    private async Task<string> ExperimentAsync() =>
        await BlobExperiments.RunAsync(fixture, await BlobExperiments.DatasetAsync(fixture), "knn", new Dictionary<string, ParamRange> { ["k"] = new(Values: ["1", "3", "5"]) }, runs: 3);

    [Fact]
    public async Task VersionsFromRunsCarryLineageAndAliasesKeepTheirHistory()
    {
        var experiment = await ExperimentAsync();
        var model = fixture.Grains.GetGrain<IModelGrain>("model-" + Guid.NewGuid().ToString("N")[..8]);

        var first = await model.RegisterAsync(new ModelSource(experiment, 0), "ana");
        var second = await model.RegisterAsync(new ModelSource(experiment, 2), "ana");
        Assert.Equal([1, 2], new[] { first.Version, second.Version });
        Assert.Equal("knn", second.Flavor);
        Assert.Equal(experiment, second.Lineage.Experiment);
        Assert.Equal(2, second.Lineage.Run);
        Assert.Equal(1, second.Lineage.DatasetVersion);
        Assert.Equal(2, second.Inputs[0].VectorLength);
        Assert.True(second.Metrics["accuracy"] > 0.9);
        var runArtifact = (await fixture.Grains.GetGrain<IRunGrain>(IRunGrain.KeyOf(experiment, 2)).GetAsync())!.Artifacts["model"];
        Assert.StartsWith($"models/{model.GetPrimaryKeyString()}/2/", second.ArtifactPath, StringComparison.Ordinal); // the registry's own copy
        Assert.Equal(await ReadAsync(runArtifact), await ReadAsync(second.ArtifactPath));

        await model.SetAliasAsync("production", 1, "ana");
        await model.SetAliasAsync("production", 2, "ben");
        var rolledBack = await model.RollBackAsync("production", "ben");
        Assert.Equal(1, rolledBack.Aliases["production"]);
        Assert.Equal([(null, 1, "ana"), (1, 2, "ben"), (2, 1, "ben")], rolledBack.History.Select(h => (h.From, h.To, h.By)));

        var inUse = await Assert.ThrowsAsync<ArgumentException>(() => model.DeleteVersionAsync(1));
        Assert.Contains("production", inUse.Message, StringComparison.Ordinal);
        var afterDelete = await model.DeleteVersionAsync(2);
        Assert.Equal([1], afterDelete.Versions.Select(v => v.Version));
        Assert.Null(await fixture.Store.GetInfoAsync(second.ArtifactPath)); // the deleted version's copy is collected
        Assert.NotNull(await fixture.Store.GetInfoAsync(runArtifact)); // the run keeps its own
        Assert.NotNull(await fixture.Store.GetInfoAsync(first.ArtifactPath));
        Assert.Equal(3, (await model.RegisterAsync(new ModelSource(experiment, 1), "ana")).Version); // numbers are never reused
    }

    private async Task<byte[]> ReadAsync(string path)
    {
        await using var content = await fixture.Store.OpenReadAsync(path);
        using var bytes = new MemoryStream();
        await content.CopyToAsync(bytes);
        return bytes.ToArray();
    }

    [Fact]
    public async Task BadSourcesAreRejectedNamingTheField()
    {
        var model = fixture.Grains.GetGrain<IModelGrain>("model-" + Guid.NewGuid().ToString("N")[..8]);
        var missingRun = await Assert.ThrowsAsync<ArgumentException>(() => model.RegisterAsync(new ModelSource("no-such-experiment", 0), "ana"));
        Assert.Equal("source.run", FieldError.FieldOf(missingRun));
        var flavor = await Assert.ThrowsAsync<ArgumentException>(() => model.RegisterAsync(new ModelSource(Artifact: "models/x.zip"), "ana"));
        Assert.Equal("source.flavor", FieldError.FieldOf(flavor));
        Assert.Null(await model.GetAsync());
    }
}
