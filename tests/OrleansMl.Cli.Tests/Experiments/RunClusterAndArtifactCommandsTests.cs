namespace OrleansMl.Cli.Tests.Experiments;

/// <summary><c>run show | metrics | cancel</c>, <c>cluster</c> and <c>artifact list | get | put</c>, as a table and as the JSON scripts read.</summary>
[Collection(CliPlatformCollection.Name)]
public sealed class RunClusterAndArtifactCommandsTests(CliPlatformFixture platform)
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

    [Fact]
    public async Task AnArtifactIsPutListedAndGotBackByteForByte()
    {
        var folder = Directory.CreateTempSubdirectory("orleansml-artifact-");
        try
        {
            var local = Path.Combine(folder.FullName, "notes.bin");
            var bytes = new byte[300_000];
            new Random(9).NextBytes(bytes);
            await File.WriteAllBytesAsync(local, bytes);
            var prefix = $"cli-tests/{CliPlatformFixture.NewName("a")}/";

            var stored = (await platform.ExpectOkAsync("artifact", "put", prefix + "notes.bin", local, "-o", "json")).Json;
            Assert.Equal(300_000, stored.GetProperty("length").GetInt64());
            var listed = (await platform.ExpectOkAsync("artifact", "list", prefix, "-o", "json")).Json.EnumerateArray().Select(a => a.GetProperty("path").GetString()).ToList();
            Assert.Equal([prefix + "notes.bin"], listed);

            var back = Path.Combine(folder.FullName, "back.bin");
            await platform.ExpectOkAsync("artifact", "get", prefix + "notes.bin", back);
            Assert.Equal(bytes, await File.ReadAllBytesAsync(back));
            Assert.Equal(ExitCodes.NotFound, (await platform.RunAsync("artifact", "get", prefix + "missing.bin", back)).ExitCode);
            Assert.Equal(bytes, await File.ReadAllBytesAsync(back)); // a failed download leaves the file as it was
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
