using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansMl.Gateway.Tests;

/// <summary>Bearer tokens (Entra ID style: app roles in <c>roles</c>) beside API keys, roles from claims, the same refusals.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class BearerTokenTests(EmbeddedPlatformFixture platform)
{
    [Fact]
    public async Task ATokensRolesGrantWhatTheRoleAllowsAndNoMore()
    {
        var name = "ws-" + Guid.NewGuid().ToString("N")[..8];
        var body = new { description = "d", tags = new Dictionary<string, string>() };
        using var scientist = TestTokens.Client(platform.Anonymous, TestTokens.Create("ana@example.com", ["Scientist"]));
        using var admin = TestTokens.Client(platform.Anonymous, TestTokens.Create("ben@example.com", ["reader", "OrleansMl.Admin"]));
        using var nobody = TestTokens.Client(platform.Anonymous, TestTokens.Create("cy@example.com", ["viewer"]));

        Assert.Equal(HttpStatusCode.OK, (await scientist.PutAsJsonAsync($"/v1/workspaces/{name}", body)).StatusCode);
        var refused = await (await scientist.DeleteAsync($"/v1/workspaces/{name}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("This call needs the admin role; the caller has the scientist role.", refused.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/workspaces/{name}")).StatusCode);
        var none = await (await nobody.GetAsync("/v1/cluster")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("the caller has no role", none.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var audit = (await admin.GetFromJsonAsync<JsonElement[]>("/v1/audit?limit=10000"))!
            .Where(e => e.GetProperty("path").GetString()!.Contains(name, StringComparison.Ordinal))
            .Select(e => (e.GetProperty("who").GetString(), e.GetProperty("status").GetInt32()));
        Assert.Equal([("ana@example.com", 200), ("ana@example.com", 403), ("ben@example.com", 204)], audit);
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("audience")]
    [InlineData("signature")]
    public async Task ATokenThatDoesNotCheckOutIs401(string fault)
    {
        var token = fault switch
        {
            "expired" => TestTokens.Create("ana", ["admin"], expires: DateTime.UtcNow.AddMinutes(-10)),
            "audience" => TestTokens.Create("ana", ["admin"], audience: "api://someone-else"),
            _ => TestTokens.Create("ana", ["admin"], key: Convert.ToBase64String(new byte[32])),
        };
        using var client = TestTokens.Client(platform.Anonymous, token);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/cluster")).StatusCode);
    }
}
