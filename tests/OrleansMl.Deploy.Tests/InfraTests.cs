using System.Text.Json;
using System.Text.RegularExpressions;
using OrleansMl.Testing;

namespace OrleansMl.Deploy.Tests;

/// <summary>
/// infra/ as CI and a reviewer read it: every template compiles and lints with zero warnings (scripts/lint-bicep.sh,
/// the Bicep CLI from NuGet), and the compiled deployment keeps storage keyless, traffic HTTPS-only and the apps on their identity.
/// </summary>
public sealed partial class InfraTests
{
    private static readonly Lazy<Task<string>> Compiled = new(CompileAsync);

    [Fact]
    public async Task Every_template_compiles_and_lints_without_a_warning_and_every_parameter_is_described()
    {
        var lint = await Shell.RunAsync("bash", ["scripts/lint-bicep.sh"], timeout: TimeSpan.FromMinutes(5));
        Assert.True(lint.ExitCode == 0, lint.Output);
        Assert.Matches(@"bicep: \d+ files, 0 warnings", lint.Output);
    }

    [Fact]
    public async Task Storage_is_reached_only_with_the_managed_identity_never_a_key()
    {
        var json = await Compiled.Value;
        Assert.DoesNotContain("listKeys", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AccountKey", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("OrleansMl__Storage__ConnectionString", json, StringComparison.Ordinal);

        using var document = JsonDocument.Parse(json);
        // The one connection string is Application Insights' (the environment's telemetry), never storage's.
        Assert.All(Objects(document.RootElement).Where(o => o.TryGetProperty("connectionString", out _)),
            o => Assert.Contains("appInsights", o.GetProperty("connectionString").GetString(), StringComparison.Ordinal));
        var storage = Assert.Single(Resources(document.RootElement, "Microsoft.Storage/storageAccounts"));
        Assert.False(storage.GetProperty("properties").GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(storage.GetProperty("properties").GetProperty("allowBlobPublicAccess").GetBoolean());

        var apps = Resources(document.RootElement, "Microsoft.App/containerApps").ToList();
        Assert.NotEmpty(apps);
        Assert.All(apps, app =>
        {
            Assert.Equal("UserAssigned", app.GetProperty("identity").GetProperty("type").GetString());
            var registries = app.GetProperty("properties").GetProperty("configuration").GetProperty("registries");
            Assert.All(registries.EnumerateArray(), r => Assert.True(r.TryGetProperty("identity", out _), "the registry is pulled from with the identity"));
            Assert.False(registries.EnumerateArray().Any(r => r.TryGetProperty("passwordSecretRef", out _)), "no registry password");
        });
        Assert.Contains("AZURE_CLIENT_ID", json, StringComparison.Ordinal); // DefaultAzureCredential picks the user-assigned identity

        // The roles the apps need, and no more than data roles on the account.
        Assert.Contains("ba92f5b4-2d11-453d-a403-e96b0029c9fe", json, StringComparison.Ordinal); // Storage Blob Data Contributor
        Assert.Contains("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", json, StringComparison.Ordinal); // Storage Table Data Contributor
        Assert.DoesNotContain("17d1049b-9a84-46fb-8f53-869881c3d3ab", json, StringComparison.Ordinal); // Storage Account Contributor (reads keys)

        var vault = Assert.Single(Resources(document.RootElement, "Microsoft.KeyVault/vaults"));
        Assert.True(vault.GetProperty("properties").GetProperty("enableRbacAuthorization").GetBoolean());
        var registry = Assert.Single(Resources(document.RootElement, "Microsoft.ContainerRegistry/registries"));
        Assert.False(registry.GetProperty("properties").GetProperty("adminUserEnabled").GetBoolean());
    }

    [Fact]
    public async Task Traffic_is_HTTPS_only_and_only_the_gateway_is_public()
    {
        var json = await Compiled.Value;
        using var document = JsonDocument.Parse(json);
        var storage = Assert.Single(Resources(document.RootElement, "Microsoft.Storage/storageAccounts")).GetProperty("properties");
        Assert.True(storage.GetProperty("supportsHttpsTrafficOnly").GetBoolean());
        Assert.Equal("TLS1_2", storage.GetProperty("minimumTlsVersion").GetString());

        // The ingress settings reach the app module as parameters: every one says allowInsecure false, exactly one is external.
        var ingresses = Objects(document.RootElement).Where(o => o.TryGetProperty("targetPort", out _) && o.TryGetProperty("allowInsecure", out _)).ToList();
        Assert.Equal(2, ingresses.Count);
        Assert.All(ingresses, i => Assert.False(i.GetProperty("allowInsecure").GetBoolean()));
        Assert.Single(ingresses, i => i.GetProperty("external").GetBoolean());
        Assert.DoesNotContain(HttpUrl().Matches(json), m => !m.Value.StartsWith("http://localhost", StringComparison.Ordinal));
    }

    /// <summary>infra/main.bicep compiled to its ARM JSON, modules inlined.</summary>
    private static async Task<string> CompileAsync()
    {
        (await Shell.RunAsync("bash", ["scripts/lint-bicep.sh"], timeout: TimeSpan.FromMinutes(5))).EnsureSuccess("scripts/lint-bicep.sh");
        var bicep = Path.Combine(RepoPaths.Tools, "bicep", "bicep-0.49.2");
        return (await Shell.RunAsync(bicep, ["build", "infra/main.bicep", "--stdout", "--no-restore"])).EnsureSuccess("bicep build").Output;
    }

    private static IEnumerable<JsonElement> Resources(JsonElement root, string type) =>
        Objects(root).Where(o => o.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == type && o.TryGetProperty("properties", out _));

    /// <summary>Every JSON object in the tree, the root included.</summary>
    private static IEnumerable<JsonElement> Objects(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            yield return element;
            foreach (var property in element.EnumerateObject())
            {
                foreach (var inner in Objects(property.Value))
                {
                    yield return inner;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                foreach (var inner in Objects(item))
                {
                    yield return inner;
                }
            }
        }
    }

    [GeneratedRegex(@"http://[A-Za-z0-9.\-]+")]
    private static partial Regex HttpUrl();
}
