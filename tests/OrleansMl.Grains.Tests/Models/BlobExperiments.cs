using System.Text;
using OrleansMl.Datasets;
using OrleansMl.Experiments;
using OrleansMl.Grains.Tests.Datasets;

namespace OrleansMl.Grains.Tests.Models;

/// <summary>Finished experiments on two well-separated blobs of 2-D points (label 0 near x=0, label 1 near x=10).</summary>
internal static class BlobExperiments
{
    /// <summary>Imports a fresh blobs dataset.</summary>
    public static async Task<string> DatasetAsync(DatasetClusterFixture fixture, int rows = 300)
    {
        var random = new Random(5);
        var lines = new StringBuilder();
        for (var i = 0; i < rows; i++)
        {
            var label = i % 2;
            lines.Append(System.Globalization.CultureInfo.InvariantCulture, $$"""{"features":[{{(label * 10) + random.NextDouble()}},{{random.NextDouble()}}],"label":{{label}}}""").Append('\n');
        }

        var artifact = $"uploads/tests/{Guid.NewGuid():N}/blobs.jsonl";
        await fixture.Store.WriteAsync(artifact, new MemoryStream(Encoding.UTF8.GetBytes(lines.ToString())));
        var dataset = "blobs-" + Guid.NewGuid().ToString("N")[..8];
        var (_, import) = await fixture.ImportAsync(dataset, new ImportRequest(new DatasetSource(Artifact: artifact)));
        Assert.Equal(DatasetOperation.Succeeded, import.State);
        return dataset;
    }

    /// <summary>Runs <paramref name="trainer"/> on <paramref name="dataset"/> (over <paramref name="searchSpace"/>, grid) and returns the experiment's name once every run has finished.</summary>
    public static async Task<string> RunAsync(
        DatasetClusterFixture fixture, string dataset, string trainer, IReadOnlyDictionary<string, ParamRange>? searchSpace = null, IReadOnlyDictionary<string, string>? parameters = null, int runs = 1)
    {
        var name = "exp-" + Guid.NewGuid().ToString("N")[..8];
        var experiment = fixture.Grains.GetGrain<IExperimentGrain>(name);
        await experiment.StartAsync(new ExperimentSpec(new DatasetRef(dataset), "label", "features", "multiclass", trainer,
            SearchSpace: searchSpace, Params: parameters, Strategy: "grid", MaxRuns: runs));
        Assert.Equal("succeeded", (await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(2))).State);
        return name;
    }
}
