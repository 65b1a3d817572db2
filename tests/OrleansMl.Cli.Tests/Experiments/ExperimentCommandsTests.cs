namespace OrleansMl.Cli.Tests.Experiments;

[Collection(CliPlatformCollection.Name)]
public sealed class ExperimentCommandsTests(CliPlatformFixture platform)
{
    [Fact]
    public async Task StepsFitInTheExperimentAndItsModelScoresADatasetThatExportsAsCsv()
    {
        var dataset = CliPlatformFixture.NewName("blobs");
        await platform.ExpectOkAsync("dataset", "import", dataset, "--file", platform.WriteBlobs(dataset + ".jsonl"));
        var experiment = CliPlatformFixture.NewName("exp");
        var info = (await platform.ExpectOkAsync("experiment", "run", experiment, "--dataset", dataset, "--trainer", "knn", "--features", "x",
            "--steps", """[{"op":"normalize","columns":["features"],"method":"minmax"},{"op":"assemble","columns":["features"],"output":"x"}]""", "-o", "json")).Json;
        Assert.Equal("succeeded", info.GetProperty("state").GetString());
        Assert.Equal(["0", "1"], info.GetProperty("pipeline").GetProperty("classes").EnumerateArray().Select(c => c.GetString()));

        var model = CliPlatformFixture.NewName("model");
        await platform.ExpectOkAsync("model", "register", model, "--experiment", experiment, "--run", "0");
        var scored = (await platform.ExpectOkAsync("dataset", "score", dataset, "--model", model, "--keep", "label", "-o", "json")).Json;
        Assert.Equal("succeeded", scored.GetProperty("state").GetString());
        var folder = Directory.CreateTempSubdirectory("orleansml-score-");
        try
        {
            var csv = Path.Combine(folder.FullName, "scored.csv");
            await platform.ExpectOkAsync("dataset", "export", dataset + "-predictions", csv);
            var rows = (await File.ReadAllLinesAsync(csv)).Skip(1).Select(l => l.Split(',')).ToList();
            Assert.Equal(300, rows.Count);
            Assert.True(rows.Count(r => r[0] == r[1]) > 290, "the blobs are apart: k-NN gets nearly all right");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task RunTrainsEveryGridPointToTheEndAndExitsZero()
    {
        var dataset = CliPlatformFixture.NewName("blobs");
        await platform.ExpectOkAsync("dataset", "import", dataset, "--file", platform.WriteBlobs(dataset + ".jsonl"));
        var experiment = CliPlatformFixture.NewName("exp");

        var run = await platform.ExpectOkAsync("experiment", "run", experiment, "--dataset", dataset, "--trainer", "knn", "--search", "k=1,3");
        Assert.Contains("succeeded", run.Out, StringComparison.Ordinal);
        Assert.Contains("k=3", run.Out, StringComparison.Ordinal);

        var info = (await platform.ExpectOkAsync("experiment", "run", experiment, "--dataset", dataset, "--trainer", "knn", "--search", "k=1,3", "-o", "json")).Json;
        Assert.Equal(("succeeded", "grid", 2), (info.GetProperty("state").GetString(), info.GetProperty("spec").GetProperty("strategy").GetString(), info.GetProperty("spec").GetProperty("maxRuns").GetInt32()));
        Assert.Equal(2, info.GetProperty("runCounts").GetProperty("succeeded").GetInt32());

        var compared = (await platform.ExpectOkAsync("experiment", "compare", experiment, "--runs", "0,1", "-o", "json")).Json;
        Assert.Equal(["1", "3"], compared.EnumerateArray().Select(r => r.GetProperty("summary").GetProperty("params").GetProperty("k").GetString()).Order());
        Assert.All(compared.EnumerateArray(), r => Assert.True(r.GetProperty("summary").GetProperty("metrics").GetProperty("accuracy").GetDouble() > 0.95));
        Assert.Contains("accuracy", (await platform.ExpectOkAsync("experiment", "compare", experiment)).Out, StringComparison.Ordinal);

        Assert.Contains(experiment, (await platform.ExpectOkAsync("experiment", "list", "-o", "json")).Json.EnumerateArray().Select(n => n.GetString()));
        Assert.Contains(experiment, (await platform.ExpectOkAsync("experiment", "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchFollowsTheRunsUntilTheExperimentEnds()
    {
        var dataset = CliPlatformFixture.NewName("blobs");
        await platform.ExpectOkAsync("dataset", "import", dataset, "--file", platform.WriteBlobs(dataset + ".jsonl"));
        var experiment = CliPlatformFixture.NewName("exp");
        var created = (await platform.ExpectOkAsync("experiment", "create", experiment, "--dataset", dataset, "--trainer", "knn",
            "--search", "k=1,3,5", "--param", "distance=l1", "-o", "json")).Json;
        Assert.Equal("l1", created.GetProperty("spec").GetProperty("params").GetProperty("distance").GetString());

        var runs = (await platform.ExpectOkAsync("experiment", "watch", experiment, "-o", "json")).Json;
        Assert.Equal([0, 1, 2], runs.EnumerateArray().Select(r => r.GetProperty("index").GetInt32()));
        Assert.All(runs.EnumerateArray(), r => Assert.Equal("succeeded", r.GetProperty("status").GetString()));
        var table = (await platform.ExpectOkAsync("experiment", "watch", experiment)).Out;
        Assert.Contains("k=5", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedSearchAndParamsAreUsageErrors()
    {
        var search = await platform.RunAsync("experiment", "create", "x", "--dataset", "d", "--trainer", "knn", "--search", "k");
        Assert.Equal(ExitCodes.Usage, search.ExitCode);
        Assert.Contains("--search 'k'", search.Err, StringComparison.Ordinal);
        var range = await platform.RunAsync("experiment", "create", "x", "--dataset", "d", "--trainer", "knn", "--search", "l2=1..x:log");
        Assert.Equal(ExitCodes.Usage, range.ExitCode);
        var dataset = await platform.RunAsync("experiment", "create", "x", "--dataset", "d:latest", "--trainer", "knn");
        Assert.Equal(ExitCodes.Usage, dataset.ExitCode);
        Assert.Contains("NAME:VERSION", dataset.Err, StringComparison.Ordinal);
    }
}
