using System.Globalization;
using System.Text;

namespace OrleansMl.Client.Tests;

/// <summary>Test data: two well-separated blobs in 2-D as JSON lines, label 0 near (0,0) and label 1 near (10,10).</summary>
internal static class TwoBlobs
{
    public static MemoryStream JsonLines(int rows = 300)
    {
        var random = new Random(3);
        var lines = new StringBuilder();
        for (var i = 0; i < rows; i++)
        {
            var label = i % 2;
            lines.Append(CultureInfo.InvariantCulture, $$"""{"features":[{{(label * 10) + random.NextDouble()}},{{(label * 10) + random.NextDouble()}}],"label":{{label}}}""").Append('\n');
        }

        return new MemoryStream(Encoding.UTF8.GetBytes(lines.ToString()));
    }

    public static string NewName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Uploads the blobs as a new dataset and waits for the import; returns its name.</summary>
    public static async Task<string> UploadAsync(OrleansMlClient client, int rows = 300)
    {
        var name = NewName("blobs");
        using var data = JsonLines(rows);
        var operation = await client.Datasets.UploadAsync(name, data, "blobs.jsonl", wait: TimeSpan.FromSeconds(60));
        Assert.Equal("succeeded", operation.State);
        return name;
    }

    /// <summary>A k-NN search over k ∈ {1, 3, 5} (grid) on the blobs.</summary>
    public static ExperimentSpec KnnSpec(string dataset) => new(
        new DatasetRef(dataset),
        LabelColumn: "label",
        FeatureColumn: "features",
        Task: "multiclass",
        Trainer: "knn",
        SearchSpace: new Dictionary<string, ParamRange> { ["k"] = new(Values: ["1", "3", "5"]) },
        Strategy: "grid",
        MaxRuns: 3);
}
