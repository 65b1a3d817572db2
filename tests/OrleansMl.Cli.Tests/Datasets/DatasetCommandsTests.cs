namespace OrleansMl.Cli.Tests.Datasets;

[Collection(CliPlatformCollection.Name)]
public sealed class DatasetCommandsTests(CliPlatformFixture platform)
{
    [Fact]
    public async Task ImportedFileShowsInListDescribeAndHead()
    {
        var dataset = CliPlatformFixture.NewName("blobs");
        var imported = await platform.ExpectOkAsync("dataset", "import", dataset, "--file", platform.WriteBlobs(dataset + ".jsonl"), "--output", "json");
        Assert.Equal(("succeeded", 1, 300L), (imported.Json.GetProperty("state").GetString(), imported.Json.GetProperty("version").GetInt32(), imported.Json.GetProperty("rowsRead").GetInt64()));

        var list = await platform.ExpectOkAsync("dataset", "list", "-o", "json");
        Assert.Contains(dataset, list.Json.EnumerateArray().Select(n => n.GetString()));
        Assert.Contains(dataset, (await platform.ExpectOkAsync("dataset", "list")).Out, StringComparison.Ordinal);

        var describe = (await platform.ExpectOkAsync("dataset", "describe", dataset, "-o", "json")).Json;
        Assert.Equal(300, describe.GetProperty("rowCount").GetInt64());
        var label = describe.GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "label");
        Assert.Equal((0.0, 1.0), (label.GetProperty("min").GetDouble(), label.GetProperty("max").GetDouble()));
        var table = (await platform.ExpectOkAsync("dataset", "describe", dataset)).Out;
        Assert.Contains("features", table, StringComparison.Ordinal);
        Assert.Contains("mean", table, StringComparison.Ordinal);

        var sample = (await platform.ExpectOkAsync("dataset", "sample", dataset, "--rows", "7", "--seed", "3", "-o", "json")).Json;
        Assert.Equal(7, sample.GetProperty("rows").GetArrayLength());
        Assert.Equal(sample.GetProperty("rows").GetRawText(), (await platform.ExpectOkAsync("dataset", "sample", dataset, "--rows", "7", "--seed", "3", "-o", "json")).Json.GetProperty("rows").GetRawText());

        var versions = (await platform.ExpectOkAsync("dataset", "versions", dataset, "-o", "json")).Json;
        Assert.Equal((1, 300L), (versions[0].GetProperty("version").GetInt32(), versions[0].GetProperty("rowCount").GetInt64()));
        Assert.Contains("import", (await platform.ExpectOkAsync("dataset", "versions", dataset)).Out, StringComparison.Ordinal);

        var head = (await platform.ExpectOkAsync("dataset", "head", dataset, "--rows", "5", "-o", "json")).Json;
        Assert.Equal(5, head.GetProperty("rows").GetArrayLength());
        Assert.Equal(2, head.GetProperty("rows")[0].GetProperty("features").GetArrayLength());
        Assert.Equal(["features", "label"], head.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task ServerPathImportTransformAndSplitMakeNewVersionsAndDatasets()
    {
        var dataset = CliPlatformFixture.NewName("blobs");
        await platform.ExpectOkAsync("dataset", "import", dataset, "--path", platform.WriteBlobs(dataset + ".jsonl"), "--partitions", "2");

        var steps = Path.Combine(platform.ImportRoot, dataset + "-steps.json");
        await File.WriteAllTextAsync(steps, """[{ "op": "filter", "expression": "label = 1" }]""");
        var transformed = (await platform.ExpectOkAsync("dataset", "transform", dataset, "--steps", "@" + steps, "-o", "json")).Json;
        Assert.Equal(2, transformed.GetProperty("version").GetInt32());
        var head = (await platform.ExpectOkAsync("dataset", "head", dataset, "--version", "2", "--rows", "200", "-o", "json")).Json;
        Assert.Equal(150, head.GetProperty("rows").GetArrayLength());
        Assert.All(head.GetProperty("rows").EnumerateArray(), row => Assert.Equal(1, row.GetProperty("label").GetInt64()));

        await platform.ExpectOkAsync("dataset", "split", dataset, "--test-fraction", "0.25", "--version", "1");
        var names = (await platform.ExpectOkAsync("dataset", "list", "-o", "json")).Json.EnumerateArray().Select(n => n.GetString()).ToList();
        Assert.Contains(dataset + "-train", names);
        Assert.Contains(dataset + "-test", names);

        // Version 1's lineage: its source, then the transform and the split made from it.
        var lineage = (await platform.ExpectOkAsync("dataset", "lineage", dataset, "--version", "1", "-o", "json")).Json;
        var edges = lineage.GetProperty("edges").EnumerateArray().Select(e => (e.GetProperty("to").GetString(), e.GetProperty("label").GetString())).ToList();
        Assert.Contains(($"dataset:{dataset}@1", "import"), edges);
        Assert.Contains(($"dataset:{dataset}@2", "transform"), edges);
        Assert.Contains(($"dataset:{dataset}-train@1", "split"), edges);
        var table = (await platform.ExpectOkAsync("dataset", "lineage", dataset, "--version", "1")).Out;
        Assert.Contains($"dataset {dataset}-test v1", table, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Rejected, (await platform.RunAsync("dataset", "lineage", dataset, "--depth", "11")).ExitCode);
    }

    [Fact]
    public async Task ExportSavesTheVersionAsOneFileInTheFormatOfItsName()
    {
        var dataset = CliPlatformFixture.NewName("blobs");
        await platform.ExpectOkAsync("dataset", "import", dataset, "--path", platform.WriteBlobs(dataset + ".jsonl"), "--partitions", "3");
        var folder = Directory.CreateTempSubdirectory("orleansml-export-");
        try
        {
            var csv = Path.Combine(folder.FullName, "blobs.csv");
            var saved = (await platform.ExpectOkAsync("dataset", "export", dataset, csv, "-o", "json")).Json;
            Assert.Equal("csv", saved.GetProperty("format").GetString());
            var lines = await File.ReadAllLinesAsync(csv);
            Assert.Equal("features,label", lines[0]);
            Assert.Equal(301, lines.Length);

            var jsonl = Path.Combine(folder.FullName, "blobs.jsonl");
            await platform.ExpectOkAsync("dataset", "export", dataset, jsonl);
            Assert.Equal(300, (await File.ReadAllLinesAsync(jsonl)).Length);
            Assert.False(File.Exists(jsonl + ".partial"));

            var missing = await platform.RunAsync("dataset", "export", dataset, Path.Combine(folder.FullName, "none.csv"), "--version", "7");
            Assert.Equal(ExitCodes.NotFound, missing.ExitCode);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task TransformWithBrokenJsonIsAUsageError()
    {
        var result = await platform.RunAsync("dataset", "transform", "anything", "--steps", "[{");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--steps is not valid JSON", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportNeedsExactlyOneSource()
    {
        var none = await platform.RunAsync("dataset", "import", "anything");
        Assert.Equal(ExitCodes.Usage, none.ExitCode);
        Assert.Contains("exactly one of FILE or --file", none.Err, StringComparison.Ordinal);
        var two = await platform.RunAsync("dataset", "import", "anything", "--path", "/a.csv", "--artifact", "b.csv");
        Assert.Equal(ExitCodes.Usage, two.ExitCode);
        var positionalAndPath = await platform.RunAsync("dataset", "import", "anything", "a.csv", "--path", "/a.csv");
        Assert.Equal(ExitCodes.Usage, positionalAndPath.ExitCode);
    }

    [Fact]
    public async Task DescribeShowsTimesAsDatesAndTextByItsMostFrequentValues()
    {
        var dataset = CliPlatformFixture.NewName("weather");
        var csv = Path.Combine(platform.ImportRoot, dataset + ".csv");
        await File.WriteAllTextAsync(csv, "day,sky,temp\n2012-01-01T00:00:00Z,rain,3.5\n2012-01-02T12:00:00Z,sun,7\n2012-01-04T00:00:00Z,rain,1\n");
        await platform.ExpectOkAsync("dataset", "import", dataset, csv);

        var table = (await platform.ExpectOkAsync("dataset", "describe", dataset)).Out;
        Assert.Contains("2012-01-01 00:00:00Z", table, StringComparison.Ordinal); // min, not 1.325E+15 microseconds
        Assert.Contains("2012-01-04 00:00:00Z", table, StringComparison.Ordinal); // max
        Assert.Contains("2012-01-02 12:00:00Z", table, StringComparison.Ordinal); // mean
        Assert.Contains("rain (2), sun (1)", table, StringComparison.Ordinal);

        var day = (await platform.ExpectOkAsync("dataset", "describe", dataset, "-o", "json")).Json.GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "day");
        Assert.Equal(new DateTimeOffset(2012, 1, 1, 0, 0, 0, TimeSpan.Zero), day.GetProperty("minTime").GetDateTimeOffset());
        Assert.Equal(1_325_376_000_000_000, day.GetProperty("min").GetDouble()); // the microseconds stay for scripts
    }

    [Fact]
    public async Task ALocalFileGivenByPositionIsUploadedAndAMissingOneNamesTheServerOption()
    {
        // As a new user types it: orleansml dataset import weather data.csv
        var dataset = CliPlatformFixture.NewName("blobs");
        var local = platform.WriteBlobs(dataset + ".jsonl");
        var imported = await platform.ExpectOkAsync("dataset", "import", dataset, local, "-o", "json");
        Assert.Equal(("succeeded", 300L), (imported.Json.GetProperty("state").GetString(), imported.Json.GetProperty("rowsRead").GetInt64()));

        var missing = await platform.RunAsync("dataset", "import", dataset, "no-such-file.csv");
        Assert.Equal(ExitCodes.Usage, missing.ExitCode);
        Assert.Contains("does not exist here; for a file on the server, give --path no-such-file.csv", missing.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedImportSaysWhereAndWhatToDoNext()
    {
        var dataset = CliPlatformFixture.NewName("broken");
        var path = Path.Combine(platform.ImportRoot, dataset + ".csv");
        await File.WriteAllTextAsync(path, "a,b\n1,2\n3\n4,5\n");
        var result = await platform.RunAsync("dataset", "import", dataset, "--file", path);
        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("failed", result.Err, StringComparison.Ordinal);
        Assert.Contains("--bad-records skip", result.Err, StringComparison.Ordinal);

        var skipped = (await platform.ExpectOkAsync("dataset", "import", dataset, "--file", path, "--bad-records", "skip", "-o", "json")).Json;
        Assert.Equal((1L, 2L), (skipped.GetProperty("badRecords").GetInt64(), skipped.GetProperty("rowsRead").GetInt64()));
    }
}
