using System.Globalization;
using System.Text;
using OrleansMl.Gateway.Security;
using OrleansMl.Testing;

namespace OrleansMl.Cli.Tests;

/// <summary>One embedded platform (an admin and a reader key, a folder server-path imports may read) shared by the CLI tests.</summary>
public sealed class CliPlatformFixture : IAsyncLifetime
{
    public const string AdminKey = "cli-admin-key-0123456789";
    public const string ReaderKey = "cli-reader-key-0123456789";

    private readonly string _root = Directory.CreateTempSubdirectory("orleansml-cli-").FullName;
    private EmbeddedPlatform _platform = null!;

    public Uri Address => _platform.Address;

    /// <summary>A folder the platform may import from with <c>--path</c>.</summary>
    public string ImportRoot => Path.Combine(_root, "imports");

    /// <summary>The data directory's <c>backups</c> folder, where backups may always go.</summary>
    public string BackupRoot => Path.Combine(_root, "data", "backups");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ImportRoot);
        KeyValuePair<string, string?>[] configuration =
        [
            .. TestApiKey.Configuration(new("admin", AdminKey, GatewayRole.Admin), new("reader", ReaderKey, GatewayRole.Reader)),
            new("OrleansMl:Datasets:ImportRoots:0", ImportRoot),
        ];
        _platform = await EmbeddedPlatform.StartAsync(Path.Combine(_root, "data"), configuration);
    }

    /// <summary>Runs a command against this platform as admin (unless <paramref name="args"/> name another key).</summary>
    public Task<CliResult> RunAsync(params string[] args) =>
        Cli.RunAsync(args.Contains("--api-key") ? [.. args, "--url", Address.ToString()] : [.. args, "--url", Address.ToString(), "--api-key", AdminKey]);

    /// <summary>A fresh name, so tests sharing the platform never meet.</summary>
    public static string NewName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Two blobs as JSON lines in the import folder, labels alternating: label 0 near (0,0), label 1 near (10,10).</summary>
    public string WriteBlobs(string fileName, int rows = 300)
    {
        var random = new Random(3);
        var lines = new StringBuilder();
        for (var i = 0; i < rows; i++)
        {
            var label = i % 2;
            lines.Append(CultureInfo.InvariantCulture, $$"""{"features":[{{(label * 10) + random.NextDouble()}},{{(label * 10) + random.NextDouble()}}],"label":{{label}}}""").Append('\n');
        }

        var path = Path.Combine(ImportRoot, fileName);
        File.WriteAllText(path, lines.ToString());
        return path;
    }

    /// <summary>An imported blobs dataset, a finished k-NN experiment on it and a model with that run as version 1.</summary>
    public async Task<(string Dataset, string Experiment, string Model)> ModelAsync()
    {
        var dataset = NewName("blobs");
        await ExpectOkAsync("dataset", "import", dataset, "--file", WriteBlobs(dataset + ".jsonl"));
        var experiment = NewName("exp");
        await ExpectOkAsync("experiment", "run", experiment, "--dataset", dataset, "--trainer", "knn", "--search", "k=1,3");
        var model = NewName("model");
        await ExpectOkAsync("model", "register", model, "--experiment", experiment, "--run", "0");
        return (dataset, experiment, model);
    }

    public async Task<CliResult> ExpectOkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == ExitCodes.Ok, $"orleansml {string.Join(' ', args)}: {result}");
        return result;
    }

    public async Task DisposeAsync()
    {
        await _platform.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class CliPlatformCollection : ICollectionFixture<CliPlatformFixture>
{
    public const string Name = "CLI platform";
}
