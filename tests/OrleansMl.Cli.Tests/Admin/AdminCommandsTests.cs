namespace OrleansMl.Cli.Tests.Admin;

[Collection(CliPlatformCollection.Name)]
public sealed class AdminCommandsTests(CliPlatformFixture platform)
{
    [Fact]
    public async Task BackupWritesACompleteSnapshotAndRestoreRefusesAPlatformThatIsNotEmpty()
    {
        var (dataset, experiment, model) = await platform.ModelAsync();
        var folder = Path.Combine(platform.BackupRoot, CliPlatformFixture.NewName("nightly"));

        var backup = (await platform.ExpectOkAsync("admin", "backup", "--path", folder, "-o", "json")).Json;

        Assert.Equal("succeeded", backup.GetProperty("status").GetString());
        Assert.True(backup.GetProperty("files").GetInt64() > 3);
        Assert.True(File.Exists(Path.Combine(folder, "backup.json")));
        Assert.True(File.Exists(Path.Combine(folder, "state", "datasets", dataset + ".bin")));
        Assert.True(File.Exists(Path.Combine(folder, "state", "experiments", experiment + ".bin")));
        Assert.True(File.Exists(Path.Combine(folder, "state", "models", model + ".bin")));
        Assert.True(Directory.EnumerateFiles(Path.Combine(folder, "files", "datasets", dataset), "*.parquet", SearchOption.AllDirectories).Any());

        var restore = await Cli.RunAsync(["admin", "restore", "--path", folder, "--url", platform.Address.ToString(), "--api-key", CliPlatformFixture.AdminKey]);
        Assert.Equal(ExitCodes.Rejected, restore.ExitCode);
        Assert.Contains("empty platform", restore.Err, StringComparison.Ordinal);

        var neither = await Cli.RunAsync(["admin", "backup", "--url", platform.Address.ToString(), "--api-key", CliPlatformFixture.AdminKey]);
        Assert.Equal(ExitCodes.Usage, neither.ExitCode);

        var reader = await Cli.RunAsync(["admin", "backup", "--path", folder + "-r", "--url", platform.Address.ToString(), "--api-key", CliPlatformFixture.ReaderKey]);
        Assert.NotEqual(ExitCodes.Ok, reader.ExitCode);
        Assert.Contains("admin role", reader.Err, StringComparison.Ordinal);
    }
}
