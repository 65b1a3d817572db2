using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansMl.Gateway.Tests.Audit;

/// <summary>Every change and every refusal is on record, with who made it and how it ended; only admins read the record.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class AuditTests(EmbeddedPlatformFixture platform)
{
    [Fact]
    public async Task ChangesAndRefusalsAreOnRecordAndReadsAndPredictionsAreNot()
    {
        var name = "ws-" + Guid.NewGuid().ToString("N")[..8];
        var body = new { description = "d", tags = new Dictionary<string, string>() };
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);

        Assert.Equal(HttpStatusCode.OK, (await platform.Scientist.PutAsJsonAsync($"/v1/workspaces/{name}", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await platform.Reader.PutAsJsonAsync($"/v1/workspaces/{name}", body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await platform.Reader.GetAsync($"/v1/workspaces/{name}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await platform.Reader.PostAsJsonAsync($"/v1/endpoints/{name}/predict", new { records = Array.Empty<object>() })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await platform.Admin.DeleteAsync($"/v1/workspaces/{name}")).StatusCode);

        var entries = (await platform.Admin.GetFromJsonAsync<JsonElement[]>($"/v1/audit?from={Uri.EscapeDataString(since.ToString("O"))}&limit=10000"))!
            .Where(e => e.GetProperty("path").GetString()!.Contains(name, StringComparison.Ordinal))
            .Select(e => (Who: e.GetProperty("who").GetString(), Operation: e.GetProperty("operation").GetString(), Method: e.GetProperty("method").GetString(), Status: e.GetProperty("status").GetInt32()))
            .ToList();

        Assert.Equal([("scientist", "PutWorkspace", "PUT", 200), ("reader", "PutWorkspace", "PUT", 403), ("admin", "DeleteWorkspace", "DELETE", 204)], entries);
    }

    [Fact]
    public async Task OnlyAdminsReadTheRecordAndNoOneWritesIt()
    {
        await (await platform.Scientist.GetAsync("/v1/audit")).AssertProblemAsync(HttpStatusCode.Forbidden);
        var listed = await platform.Reader.GetFromJsonAsync<JsonElement[]>("/v1/artifacts?prefix=audit/");
        Assert.Empty(listed!);
        var any = (await platform.Admin.GetFromJsonAsync<JsonElement[]>("/v1/artifacts?prefix=audit/&limit=1"))!;
        Assert.Single(any); // the refusal above is on record
        var path = any[0].GetProperty("path").GetString();

        await (await platform.Reader.GetAsync($"/v1/artifacts/{path}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await platform.Admin.GetAsync($"/v1/artifacts/{path}")).StatusCode);
        await (await platform.Admin.PutAsync($"/v1/artifacts/{path}", new ByteArrayContent([1]))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await platform.Admin.DeleteAsync($"/v1/artifacts/{path}")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ABadQueryNamesTheField()
    {
        var problem = await (await platform.Admin.GetAsync("/v1/audit?limit=0")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("limit"));
        problem = await (await platform.Admin.GetAsync("/v1/audit?from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("from"));
    }
}
