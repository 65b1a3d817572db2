namespace OrleansMl.Cli.Tests;

[Collection(CliPlatformCollection.Name)]
public sealed class ExitCodeTests(CliPlatformFixture platform)
{
    [Fact]
    public async Task UnknownDatasetIsNotFound()
    {
        var result = await platform.RunAsync("dataset", "describe", CliPlatformFixture.NewName("missing"));
        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains("list commands", result.Err, StringComparison.Ordinal);

        var json = await platform.RunAsync("dataset", "describe", CliPlatformFixture.NewName("missing"), "-o", "json");
        Assert.Equal((ExitCodes.NotFound, 404), (json.ExitCode, json.ErrorJson.GetProperty("status").GetInt32()));
        Assert.Empty(json.Out);
    }

    [Fact]
    public async Task RejectedFieldIsNamedOnStandardError()
    {
        var dataset = CliPlatformFixture.NewName("blobs");
        await platform.ExpectOkAsync("dataset", "import", dataset, "--file", platform.WriteBlobs(dataset + ".jsonl"));

        var result = await platform.RunAsync("experiment", "create", CliPlatformFixture.NewName("exp"), "--dataset", dataset, "--trainer", "no_such_trainer");
        Assert.Equal(ExitCodes.Rejected, result.ExitCode);
        Assert.Contains("trainer:", result.Err, StringComparison.Ordinal);
        Assert.Contains("Fix the fields", result.Err, StringComparison.Ordinal);

        var json = await platform.RunAsync("experiment", "create", CliPlatformFixture.NewName("exp"), "--dataset", dataset, "--trainer", "no_such_trainer", "-o", "json");
        Assert.Equal(ExitCodes.Rejected, json.ExitCode);
        Assert.Equal(400, json.ErrorJson.GetProperty("status").GetInt32());
        Assert.True(json.ErrorJson.GetProperty("errors").TryGetProperty("trainer", out _), json.Err);
    }

    [Fact]
    public async Task UnreachablePlatformIsUnavailableWithTheHint()
    {
        var result = await Cli.RunAsync(["dataset", "list", "--url", "http://127.0.0.1:1"]);
        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.Contains("orleansml server start", result.Err, StringComparison.Ordinal);
        Assert.Contains("--url", result.Err, StringComparison.Ordinal);

        var json = await Cli.RunAsync(["dataset", "list", "--url", "http://127.0.0.1:1", "--output", "json"]);
        Assert.Equal(ExitCodes.Unavailable, json.ExitCode);
        Assert.Contains("orleansml server start", json.ErrorJson.GetProperty("hint").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingKeyIsRejectedWithTheHint()
    {
        var result = await Cli.RunAsync(["dataset", "list", "--url", platform.Address.ToString()]);
        Assert.Equal(ExitCodes.Rejected, result.ExitCode);
        Assert.Contains("--api-key", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommandsAndOptionsAreUsageErrors()
    {
        Assert.Equal(ExitCodes.Usage, (await Cli.RunAsync(["dataset", "bogus"])).ExitCode);
        Assert.Equal(ExitCodes.Usage, (await Cli.RunAsync(["dataset", "list", "--bogus"])).ExitCode);
        Assert.Equal(ExitCodes.Usage, (await Cli.RunAsync(["dataset", "list", "--output", "yaml"])).ExitCode);
        Assert.Equal(ExitCodes.Usage, (await Cli.RunAsync(["dataset", "list", "--url", "ftp://x"])).ExitCode);
        Assert.Equal(ExitCodes.Usage, (await Cli.RunAsync(["dataset"])).ExitCode);
        var help = await Cli.RunAsync(["--help"]);
        Assert.Equal(ExitCodes.Ok, help.ExitCode);
        Assert.Contains("experiment", help.Out, StringComparison.Ordinal);
    }
}
