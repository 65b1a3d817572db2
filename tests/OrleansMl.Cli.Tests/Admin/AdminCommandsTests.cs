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

        var jobs = (await platform.ExpectOkAsync("admin", "jobs", "-o", "json")).Json;
        Assert.Contains(jobs.EnumerateArray(), j => j.GetProperty("id").GetString() == backup.GetProperty("id").GetString() && j.GetProperty("status").GetString() == "succeeded");

        var neither = await Cli.RunAsync(["admin", "backup", "--url", platform.Address.ToString(), "--api-key", CliPlatformFixture.AdminKey]);
        Assert.Equal(ExitCodes.Usage, neither.ExitCode);

        var reader = await Cli.RunAsync(["admin", "backup", "--path", folder + "-r", "--url", platform.Address.ToString(), "--api-key", CliPlatformFixture.ReaderKey]);
        Assert.NotEqual(ExitCodes.Ok, reader.ExitCode);
        Assert.Contains("admin role", reader.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkspacesAreSetReadAndDeletedAndTheAuditLogShowsWhoDidIt()
    {
        var name = CliPlatformFixture.NewName("team");
        var set = (await platform.ExpectOkAsync("workspace", "set", name, "--description", "vision models", "--tag", "team=cv", "--tag", "tier=gold", "-o", "json")).Json;
        Assert.Equal(1, set.GetProperty("revision").GetInt64());
        Assert.Equal("cv", set.GetProperty("tags").GetProperty("team").GetString());

        var again = (await platform.ExpectOkAsync("workspace", "set", name, "--description", "vision", "-o", "json")).Json;
        Assert.Equal(2, again.GetProperty("revision").GetInt64());
        var table = await platform.ExpectOkAsync("workspace", "get", name);
        Assert.Contains("revision 2", table.Out, StringComparison.Ordinal);
        Assert.Contains("vision", table.Out, StringComparison.Ordinal);

        var bad = await Cli.RunAsync(["workspace", "set", name, "--tag", "no-equals", "--url", platform.Address.ToString(), "--api-key", CliPlatformFixture.AdminKey]);
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);

        await platform.ExpectOkAsync("workspace", "delete", name);
        var file = Path.Combine(Path.GetTempPath(), name + ".txt");
        await File.WriteAllTextAsync(file, "notes");
        await platform.ExpectOkAsync("artifact", "put", $"notes/{name}.txt", file);
        await platform.ExpectOkAsync("artifact", "delete", $"notes/{name}.txt");
        Assert.Equal(ExitCodes.NotFound, (await platform.RunAsync("artifact", "get", $"notes/{name}.txt", file + ".back")).ExitCode);
        File.Delete(file);
        Assert.Equal(ExitCodes.NotFound, (await platform.RunAsync("workspace", "get", name)).ExitCode);

        // Every change is on record with the key's name; a reader cannot read the log.
        var audit = (await platform.ExpectOkAsync("admin", "audit", "--operation", "DeleteWorkspace", "-o", "json")).Json;
        Assert.Contains("DeleteArtifact", (await platform.ExpectOkAsync("admin", "audit", "--who", "admin")).Out, StringComparison.Ordinal);
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("path").GetString() == $"/v1/workspaces/{name}" && e.GetProperty("who").GetString() == "admin" && e.GetProperty("status").GetInt32() == 204);
        var reader = await Cli.RunAsync(["admin", "audit", "--url", platform.Address.ToString(), "--api-key", CliPlatformFixture.ReaderKey]);
        Assert.Equal(ExitCodes.Rejected, reader.ExitCode);
    }
}
