using System.IO.Compression;
using System.Text.Json;
using OrleansMl.Gateway.Security;
using OrleansMl.Testing;

namespace OrleansMl.Deploy.Tests;

/// <summary>
/// The packages users install, as they install them: OrleansMl.Client into a fresh project and the orleansml tool
/// into a fresh tool path, both from a local feed the test packs, then used against a running platform.
/// </summary>
public sealed class PackageTests : IAsyncLifetime
{
    private const string AdminKey = "package-admin-key";
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("orleansml-packages-");
    private EmbeddedPlatform _platform = null!;
    private string _version = null!;

    private string Feed => Path.Combine(_work.FullName, "feed");

    /// <summary>Restores with a cache of its own (no stale package of the same version), finding dependencies in the machine's cache first.</summary>
    private Dictionary<string, string> NuGetEnvironment => new() { ["NUGET_PACKAGES"] = Path.Combine(_work.FullName, "nuget-cache") };

    public async Task InitializeAsync()
    {
        _platform = await EmbeddedPlatform.StartAsync(Path.Combine(_work.FullName, "data"),
            TestApiKey.Configuration(new TestApiKey("admin", AdminKey, GatewayRole.Admin)), ("OrleansMl:Dashboard", "false"));
        foreach (var project in new[] { "src/OrleansMl.Client/OrleansMl.Client.csproj", "src/OrleansMl.Cli/OrleansMl.Cli.csproj" })
        {
            (await Shell.RunAsync("dotnet", ["pack", project, "-c", "Release", "--no-build", "-o", Feed, "--nologo"])).EnsureSuccess($"dotnet pack {project}");
        }

        _version = (await Shell.RunAsync("dotnet", ["msbuild", "src/OrleansMl.Client/OrleansMl.Client.csproj", "-getProperty:Version"])).EnsureSuccess("msbuild").Output.Trim();
        File.WriteAllText(Path.Combine(_work.FullName, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local" value="{Feed}" />
                <add key="machine-cache" value="{MachineCache}" />
              </packageSources>
            </configuration>
            """);
    }

    private static string MachineCache =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } cache ? cache : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    [Fact]
    public void The_client_package_carries_its_readme_licence_xml_docs_and_symbols()
    {
        var package = Path.Combine(Feed, $"OrleansMl.Client.{_version}.nupkg");
        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("README.md", entries);
        Assert.Contains("lib/net10.0/OrleansMl.Client.dll", entries);
        Assert.Contains("lib/net10.0/OrleansMl.Client.xml", entries);
        using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        var manifest = nuspec.ReadToEnd();
        Assert.Contains("<license type=\"expression\">MIT</license>", manifest, StringComparison.Ordinal);
        Assert.Contains("<readme>README.md</readme>", manifest, StringComparison.Ordinal);
        Assert.DoesNotContain("Orleans.", manifest.Replace("OrleansMl.", "", StringComparison.Ordinal), StringComparison.Ordinal); // no Orleans dependency
        Assert.True(File.Exists(Path.Combine(Feed, $"OrleansMl.Client.{_version}.snupkg")), "symbols package");
    }

    [Fact]
    public async Task A_fresh_project_installs_the_client_and_registers_it_with_dependency_injection()
    {
        var project = Directory.CreateDirectory(Path.Combine(_work.FullName, "app")).FullName;
        File.WriteAllText(Path.Combine(project, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="OrleansMl.Client" Version="[{_version}]" />
                <PackageReference Include="Microsoft.Extensions.DependencyInjection" Version="10.0.5" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Program.cs"), """
            using Microsoft.Extensions.DependencyInjection;
            using OrleansMl.Client;

            var services = new ServiceCollection();
            services.AddOrleansMlClient(o => { o.BaseAddress = new Uri(args[0]); o.ApiKey = args[1]; });
            using var provider = services.BuildServiceProvider();
            var client = provider.GetRequiredService<OrleansMlClient>();
            var cluster = await client.GetClusterAsync();
            Console.WriteLine($"silos={cluster.Silos.Count}");
            try
            {
                await client.Experiments.StartAsync("from-package", new ExperimentSpec(
                    new DatasetRef("no-such-dataset"), "label", "features", MlTasks.Multiclass, Trainers.Knn, Metric: Metrics.Accuracy));
            }
            catch (OrleansMlApiException e)
            {
                Console.WriteLine($"status={(int)e.StatusCode} {e.Message}");
            }
            """);

        var run = (await Shell.RunAsync("dotnet", ["run", "--project", project, "--", _platform.Address.ToString(), AdminKey], _work.FullName, NuGetEnvironment, TimeSpan.FromMinutes(4)))
            .EnsureSuccess("dotnet run of a fresh project with OrleansMl.Client");
        Assert.Contains("silos=1", run.Output, StringComparison.Ordinal);
        Assert.Contains("status=400", run.Output, StringComparison.Ordinal);
        Assert.Contains("no-such-dataset", run.Output, StringComparison.Ordinal); // the server's problem, read by the client
    }

    [Fact]
    public async Task The_orleansml_tool_installs_small_into_a_fresh_tool_path_and_drives_the_platform()
    {
        var package = new FileInfo(Path.Combine(Feed, $"OrleansMl.Cli.{_version}.nupkg"));
        Assert.True(package.Length < 10 * 1024 * 1024, $"the client tool is {package.Length / 1024 / 1024} MB; it must not carry the server");

        var tools = Path.Combine(_work.FullName, "tools");
        (await Shell.RunAsync("dotnet", ["tool", "install", "OrleansMl.Cli", "--version", _version, "--tool-path", tools, "--add-source", Feed], _work.FullName, NuGetEnvironment))
            .EnsureSuccess("dotnet tool install OrleansMl.Cli");
        var orleansml = Path.Combine(tools, "orleansml");
        string[] key = ["--url", _platform.Address.ToString(), "--api-key", AdminKey, "--output", "json"];

        var cluster = (await Shell.RunAsync(orleansml, ["cluster", .. key], _work.FullName)).EnsureSuccess("orleansml cluster");
        using (var json = JsonDocument.Parse(cluster.Output))
        {
            Assert.Equal(1, json.RootElement.GetProperty("silos").GetArrayLength());
        }

        var csv = Path.Combine(_work.FullName, "points.csv");
        File.WriteAllText(csv, "x,label\n1,a\n2,b\n3,a\n");
        (await Shell.RunAsync(orleansml, ["dataset", "import", "points", csv, .. key], _work.FullName)).EnsureSuccess("orleansml dataset import");
        var head = (await Shell.RunAsync(orleansml, ["dataset", "head", "points", .. key], _work.FullName)).EnsureSuccess("orleansml dataset head");
        using (var json = JsonDocument.Parse(head.Output))
        {
            Assert.Equal(3, json.RootElement.GetProperty("rows").GetArrayLength());
        }
    }

    public async Task DisposeAsync()
    {
        await _platform.DisposeAsync();
        _work.Delete(recursive: true);
    }
}
