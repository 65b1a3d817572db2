namespace OrleansMl.Cli.Tests.Experiments;

/// <summary><c>run show | metrics | cancel</c> and <c>cluster</c>, as a table and as the JSON scripts read.</summary>
[Collection(CliPlatformCollection.Name)]
public sealed class RunAndClusterCommandsTests(CliPlatformFixture platform)
{
    [Fact]
    public async Task ARunIsShownWithItsMetricHistoryAndAFinishedOneStaysFinishedWhenCancelled()
    {
        var dataset = CliPlatformFixture.NewName("blobs");
        await platform.ExpectOkAsync("dataset", "import", dataset, platform.WriteBlobs(dataset + ".jsonl"));
        var experiment = CliPlatformFixture.NewName("exp");
        await platform.ExpectOkAsync("experiment", "run", experiment, "--dataset", dataset, "--trainer", "knn", "--search", "k=1,3");

        var shown = (await platform.ExpectOkAsync("run", "show", experiment, "1", "-o", "json")).Json;
        Assert.Equal(("succeeded", 1, "3"), (shown.GetProperty("summary").GetProperty("status").GetString(), shown.GetProperty("summary").GetProperty("index").GetInt32(),
            shown.GetProperty("summary").GetProperty("params").GetProperty("k").GetString()));
        var accuracy = shown.GetProperty("summary").GetProperty("metrics").GetProperty("accuracy").GetDouble();
        var table = (await platform.ExpectOkAsync("run", "show", experiment, "1")).Out;
        Assert.Contains("k=3", table, StringComparison.Ordinal);
        Assert.Contains("accuracy=", table, StringComparison.Ordinal);

        // The history's last value of a metric is the run's final one.
        var steps = (await platform.ExpectOkAsync("run", "metrics", experiment, "1", "--metric", "accuracy", "-o", "json")).Json.EnumerateArray().ToList();
        Assert.NotEmpty(steps);
        Assert.Equal(accuracy, steps[^1].GetProperty("values").GetProperty("accuracy").GetDouble());
        Assert.Contains("accuracy", (await platform.ExpectOkAsync("run", "metrics", experiment, "1")).Out, StringComparison.Ordinal);

        var cancelled = (await platform.ExpectOkAsync("run", "cancel", experiment, "0", "-o", "json")).Json;
        Assert.Equal("succeeded", cancelled.GetProperty("status").GetString());

        var missing = await platform.RunAsync("run", "show", experiment, "7");
        Assert.Equal(ExitCodes.NotFound, missing.ExitCode);
    }

    [Fact]
    public async Task TheClusterListsItsSilos()
    {
        var silos = (await platform.ExpectOkAsync("cluster", "-o", "json")).Json.GetProperty("silos").EnumerateArray().ToList();
        Assert.NotEmpty(silos);
        Assert.All(silos, s => Assert.Equal("Active", s.GetProperty("status").GetString()));
        Assert.Contains("silo(s).", (await platform.ExpectOkAsync("cluster")).Out, StringComparison.Ordinal);
    }
}
