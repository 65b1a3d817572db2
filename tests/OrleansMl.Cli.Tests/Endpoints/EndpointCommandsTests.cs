namespace OrleansMl.Cli.Tests.Endpoints;

[Collection(CliPlatformCollection.Name)]
public sealed class EndpointCommandsTests(CliPlatformFixture platform)
{
    [Fact]
    public async Task CreatedEndpointPredictsEachRow()
    {
        var (_, _, model) = await platform.ModelAsync();
        var endpoint = CliPlatformFixture.NewName("ep");
        var created = (await platform.ExpectOkAsync("endpoint", "create", endpoint, "--target", model + ":1", "-o", "json")).Json;
        Assert.Equal(1, created.GetProperty("revision").GetInt32());

        var predicted = (await platform.ExpectOkAsync("endpoint", "predict", endpoint, "--row", "0.2,0.4", "--row", "10.1,9.8", "-o", "json")).Json;
        Assert.Equal((model, 1), (predicted.GetProperty("model").GetString(), predicted.GetProperty("version").GetInt32()));
        Assert.Equal([0L, 1L], predicted.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("label").GetInt64()));

        var table = (await platform.ExpectOkAsync("endpoint", "predict", endpoint, "--json", """{"records":[{"features":[10.1,9.8]}]}""")).Out;
        Assert.Contains("label", table, StringComparison.Ordinal);
        Assert.Contains("scores", table, StringComparison.Ordinal);

        var again = await platform.RunAsync("endpoint", "create", endpoint, "--target", model + ":1");
        Assert.Equal(ExitCodes.Rejected, again.ExitCode);
        Assert.Contains("endpoint update", again.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateSplitsTrafficByWeightAndAliases()
    {
        var (_, experiment, model) = await platform.ModelAsync();
        await platform.ExpectOkAsync("model", "register", model, "--experiment", experiment, "--run", "1");
        await platform.ExpectOkAsync("model", "alias", model, "canary", "2");
        var endpoint = CliPlatformFixture.NewName("ep");
        await platform.ExpectOkAsync("endpoint", "create", endpoint, "--target", model + ":1");

        // A dry run shows the revision with the alias resolved and makes nothing.
        var previewed = (await platform.ExpectOkAsync("endpoint", "update", endpoint, "--target", model + ":1:95", "--target", model + "@canary:5", "--dry-run", "-o", "json")).Json;
        Assert.Equal(2, previewed.GetProperty("revision").GetInt32());
        Assert.Equal([1, 2], previewed.GetProperty("routes").EnumerateArray().Select(r => r.GetProperty("version").GetInt32()));
        Assert.Contains("dry run", (await platform.ExpectOkAsync("endpoint", "update", endpoint, "--target", model + ":2", "--dry-run")).Out, StringComparison.Ordinal);
        Assert.Single((await platform.ExpectOkAsync("endpoint", "history", endpoint, "-o", "json")).Json.EnumerateArray()); // still revision 1 only

        var updated = (await platform.ExpectOkAsync("endpoint", "update", endpoint, "--target", model + ":1:95", "--target", model + "@canary:5",
            "--shadow", model + ":2", "--log-sample-rate", "0.5", "-o", "json")).Json;
        Assert.Equal(2, updated.GetProperty("revision").GetInt32());
        Assert.Equal([(1, 95), (2, 5)], updated.GetProperty("routes").EnumerateArray().Select(r => (r.GetProperty("version").GetInt32(), r.GetProperty("weight").GetInt32())));
        Assert.Equal(2, updated.GetProperty("shadow").GetProperty("version").GetInt32());

        var missing = await platform.RunAsync("endpoint", "update", CliPlatformFixture.NewName("ep"), "--target", model + ":1");
        Assert.Equal(ExitCodes.NotFound, missing.ExitCode);
        Assert.Contains("endpoint create", missing.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListHistoryAndDeleteFollowAnEndpointToItsEnd()
    {
        var (_, _, model) = await platform.ModelAsync();
        var endpoint = CliPlatformFixture.NewName("ep");
        await platform.ExpectOkAsync("endpoint", "create", endpoint, "--target", model + ":1");
        await platform.ExpectOkAsync("endpoint", "update", endpoint, "--target", model + ":1:3", "--shadow", model + ":1");

        Assert.Contains(endpoint, (await platform.ExpectOkAsync("endpoint", "list", "-o", "json")).Json.EnumerateArray().Select(e => e.GetString()));
        var listed = (await platform.ExpectOkAsync("endpoint", "list")).Out;
        Assert.Contains($"{model}:1 (3)", listed, StringComparison.Ordinal);

        var deleted = (await platform.ExpectOkAsync("endpoint", "delete", endpoint, "-o", "json")).Json;
        Assert.Equal(endpoint, deleted.GetProperty("deleted").GetString());
        Assert.DoesNotContain(endpoint, (await platform.ExpectOkAsync("endpoint", "list", "-o", "json")).Json.EnumerateArray().Select(e => e.GetString()));

        var history = (await platform.ExpectOkAsync("endpoint", "history", endpoint, "-o", "json")).Json.EnumerateArray().ToList();
        Assert.Equal([(1, 1), (2, 1), (3, 0)], history.Select(h => (h.GetProperty("revision").GetInt32(), h.GetProperty("routes").GetArrayLength())));
        Assert.Contains("deleted", (await platform.ExpectOkAsync("endpoint", "history", endpoint)).Out, StringComparison.Ordinal);

        var again = await platform.RunAsync("endpoint", "delete", endpoint);
        Assert.Equal(ExitCodes.NotFound, again.ExitCode);
    }

    [Fact]
    public async Task MalformedTargetsAndRowsAreUsageErrors()
    {
        foreach (var target in new[] { "model", "model:x", "model:1:x", "model@", ":1" })
        {
            var result = await platform.RunAsync("endpoint", "create", "ep", "--target", target);
            Assert.True(result.ExitCode == ExitCodes.Usage, $"--target {target}: {result}");
        }

        var row = await platform.RunAsync("endpoint", "predict", "ep", "--row", "1,x");
        Assert.Equal(ExitCodes.Usage, row.ExitCode);
        Assert.Contains("--row '1,x'", row.Err, StringComparison.Ordinal);

        var both = await platform.RunAsync("endpoint", "predict", "ep", "--row", "1,2", "--image", "a.png");
        Assert.Equal(ExitCodes.Usage, both.ExitCode);
        var text = await platform.RunAsync("endpoint", "predict", "ep", "--image", "notes.txt");
        Assert.Equal(ExitCodes.Usage, text.ExitCode);
        Assert.Contains("--image 'notes.txt' is not a .png", text.Err, StringComparison.Ordinal);
    }
}
