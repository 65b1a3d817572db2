using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansMl.Testing;

namespace OrleansMl.Gateway.Tests;

public sealed class EmbeddedRestartTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("orleansml-restart-").FullName;

    [Fact]
    public async Task StopAndStartKeepWhatWasWritten()
    {
        await using (var first = await EmbeddedPlatform.StartAsync(_dataDirectory, TestKeys.Configuration()))
        {
            using var client = first.CreateClient(TestKeys.Scientist);
            (await client.PutAsJsonAsync("/v1/workspaces/kept", new { description = "survives restarts" })).EnsureSuccessStatusCode();
            (await client.PutAsync("/v1/artifacts/notes/kept.txt", new StringContent("still here"))).EnsureSuccessStatusCode();
        }

        await using var second = await EmbeddedPlatform.StartAsync(_dataDirectory, TestKeys.Configuration());
        using var reader = second.CreateClient(TestKeys.Reader);
        var workspace = await reader.GetFromJsonAsync<JsonElement>("/v1/workspaces/kept");

        Assert.Equal("survives restarts", workspace.GetProperty("description").GetString());
        Assert.Equal("still here", await reader.GetStringAsync("/v1/artifacts/notes/kept.txt"));
    }

    [Fact]
    public async Task AnInvalidGatewaySettingStopsStartNamingIt()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => EmbeddedPlatform.StartAsync(
            _dataDirectory,
            TestKeys.Configuration(),
            ("OrleansMl:Gateway:Authentication:ApiKeys:3:Name", "broken"),
            ("OrleansMl:Gateway:Authentication:ApiKeys:3:Sha256", "not-a-hash")));

        Assert.Contains(error.Failures, f => f.StartsWith("OrleansMl:Gateway:Authentication:ApiKeys:3:Sha256", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnInvalidPlatformSettingStopsStartNamingIt()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => EmbeddedPlatform.StartAsync(
            _dataDirectory,
            TestKeys.Configuration(),
            ("OrleansMl:Storage:Mode", "AzureStorage")));

        Assert.Contains(error.Failures, f => f.Contains("OrleansMl:Storage:ConnectionString", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithAuthenticationSwitchedOffEveryCallerIsAdmin()
    {
        await using var platform = await EmbeddedPlatform.StartAsync(_dataDirectory, TestKeys.Configuration(), ("OrleansMl:Gateway:Authentication:Enabled", "false"));
        using var anonymous = platform.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.DeleteAsync("/v1/workspaces/nothing-here")).StatusCode);
    }

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);
}
