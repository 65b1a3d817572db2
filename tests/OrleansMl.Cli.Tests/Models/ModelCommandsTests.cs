namespace OrleansMl.Cli.Tests.Models;

[Collection(CliPlatformCollection.Name)]
public sealed class ModelCommandsTests(CliPlatformFixture platform)
{
    [Fact]
    public async Task AnMlNetVersionExportsToOnnxAndAVersionInUseIsNotDeleted()
    {
        var dataset = CliPlatformFixture.NewName("blobs");
        await platform.ExpectOkAsync("dataset", "import", dataset, platform.WriteBlobs(dataset + ".jsonl"));
        var experiment = CliPlatformFixture.NewName("exp");
        await platform.ExpectOkAsync("experiment", "run", experiment, "--dataset", dataset, "--trainer", "mlnet", "--param", "algorithm=lbfgs_maxent");
        var model = CliPlatformFixture.NewName("model");
        await platform.ExpectOkAsync("model", "register", model, "--experiment", experiment);

        var onnx = (await platform.ExpectOkAsync("model", "onnx", model, "1", "-o", "json")).Json;
        Assert.Equal((2, "onnx"), (onnx.GetProperty("version").GetInt32(), onnx.GetProperty("flavor").GetString()));

        await platform.ExpectOkAsync("model", "alias", model, "production", "2");
        var inUse = await platform.RunAsync("model", "delete", model, "2");
        Assert.NotEqual(ExitCodes.Ok, inUse.ExitCode);
        var left = (await platform.ExpectOkAsync("model", "delete", model, "1", "-o", "json")).Json;
        Assert.Equal([2], left.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task RegisterAliasAndHistoryKeepEveryMove()
    {
        var (_, experiment, model) = await platform.ModelAsync();
        var second = (await platform.ExpectOkAsync("model", "register", model, "--experiment", experiment, "-o", "json")).Json;
        Assert.Equal(("knn", 2), (second.GetProperty("flavor").GetString(), second.GetProperty("version").GetInt32()));

        await platform.ExpectOkAsync("model", "alias", model, "production", "1");
        var moved = (await platform.ExpectOkAsync("model", "alias", model, "production", "2", "-o", "json")).Json;
        Assert.Equal(2, moved.GetProperty("aliases").GetProperty("production").GetInt32());
        Assert.Contains("→ version 1", (await platform.ExpectOkAsync("model", "alias", model, "production", "--rollback")).Out, StringComparison.Ordinal);

        var history = (await platform.ExpectOkAsync("model", "history", model, "-o", "json")).Json;
        Assert.Equal(1, history.GetProperty("aliases").GetProperty("production").GetInt32());
        Assert.Equal([1, 2, 1], history.GetProperty("history").EnumerateArray().Select(c => c.GetProperty("to").GetInt32()));
        var table = (await platform.ExpectOkAsync("model", "history", model)).Out;
        Assert.Contains("production", table, StringComparison.Ordinal);
        Assert.Contains(experiment + "/0", table, StringComparison.Ordinal);

        await platform.ExpectOkAsync("model", "alias", model, "production", "--remove");
        Assert.Empty((await platform.ExpectOkAsync("model", "history", model, "-o", "json")).Json.GetProperty("aliases").EnumerateObject());
        Assert.Contains(model, (await platform.ExpectOkAsync("model", "list", "-o", "json")).Json.EnumerateArray().Select(n => n.GetString()));
        Assert.Contains(model, (await platform.ExpectOkAsync("model", "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AliasNeedsExactlyOneOfVersionRollbackAndRemove()
    {
        Assert.Equal(ExitCodes.Usage, (await platform.RunAsync("model", "alias", "m", "production")).ExitCode);
        Assert.Equal(ExitCodes.Usage, (await platform.RunAsync("model", "alias", "m", "production", "1", "--remove")).ExitCode);
    }

    [Fact]
    public async Task AReaderKeyIsRejectedWithAHintAboutRoles()
    {
        var result = await platform.RunAsync("model", "register", "m", "--experiment", "e", "--run", "0", "--api-key", CliPlatformFixture.ReaderKey);
        Assert.Equal(ExitCodes.Rejected, result.ExitCode);
        Assert.Contains("role", result.Err, StringComparison.Ordinal);
    }
}
