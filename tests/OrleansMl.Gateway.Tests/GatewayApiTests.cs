using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace OrleansMl.Gateway.Tests;

[Collection(EmbeddedPlatformCollection.Name)]
public sealed class GatewayApiTests(EmbeddedPlatformFixture platform)
{
    [Fact]
    public async Task TheClusterEndpointReachesTheSiloThroughAGrainCall()
    {
        var cluster = await platform.Reader.GetFromJsonAsync<JsonElement>("/v1/cluster");

        var silo = Assert.Single(cluster.GetProperty("silos").EnumerateArray());
        Assert.Equal("Active", silo.GetProperty("status").GetString());
    }

    [Fact]
    public async Task AWorkspaceIsCreatedReadAndUpdated()
    {
        var name = NewName();

        var created = await (await platform.Scientist.PutAsJsonAsync($"/v1/workspaces/{name}", new { description = "one", tags = new { team = "vision" } })).Content.ReadFromJsonAsync<JsonElement>();
        await platform.Scientist.PutAsJsonAsync($"/v1/workspaces/{name}", new { description = "two" });
        var read = await platform.Reader.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{name}");

        Assert.Equal(1, created.GetProperty("revision").GetInt32());
        Assert.Equal("two", read.GetProperty("description").GetString());
        Assert.Equal(2, read.GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task AnUnknownWorkspaceIs404Problem()
    {
        var problem = await (await platform.Reader.GetAsync($"/v1/workspaces/{NewName()}")).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Contains("There is no workspace", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvalidNameIs400NamingTheField()
    {
        var problem = await (await platform.Reader.GetAsync("/v1/workspaces/-bad!")).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.ErrorsFor("name"));
    }

    [Fact]
    public async Task AWrongTypeInTheBodyIs400NamingTheField()
    {
        var response = await platform.Scientist.PutAsync($"/v1/workspaces/{NewName()}", new StringContent("""{"description": 5}""", Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("description"));
    }

    [Fact]
    public async Task MalformedJsonIs400()
    {
        var response = await platform.Scientist.PutAsync($"/v1/workspaces/{NewName()}", new StringContent("{\"description\": ", Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task TooManyTagsIs400NamingTags()
    {
        var tags = Enumerable.Range(0, 65).ToDictionary(i => $"k{i}", _ => "v");

        var problem = await (await platform.Scientist.PutAsJsonAsync($"/v1/workspaces/{NewName()}", new { tags })).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("at most 64", problem.ErrorsFor("tags")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABodyOverTheLimitIs413Problem()
    {
        var description = new string('x', (int)EmbeddedPlatformFixture.MaxRequestBodyBytes + 10);

        var response = await platform.Scientist.PutAsJsonAsync($"/v1/workspaces/{NewName()}", new { description });

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task ArtifactsStreamInAndOutWithConditionalWrites()
    {
        var path = $"uploads/{NewName()}/model.bin";
        var content = new byte[200_000];
        new Random(5).NextBytes(content);

        var created = await platform.Scientist.SendAsync(CreateOnly(path, content));
        var again = await platform.Scientist.SendAsync(CreateOnly(path, content));
        var downloaded = await platform.Reader.GetByteArrayAsync($"/v1/artifacts/{path}");
        var listed = await platform.Reader.GetFromJsonAsync<JsonElement>($"/v1/artifacts?prefix={Uri.EscapeDataString(path)}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.NotNull(created.Headers.ETag);
        await again.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(content, downloaded);
        Assert.Equal(content.Length, Assert.Single(listed.EnumerateArray()).GetProperty("length").GetInt64());
    }

    [Fact]
    public async Task AnArtifactOverTheUploadLimitIs413AndLeavesNothing()
    {
        var path = $"big/{NewName()}.bin";

        var response = await platform.Scientist.PutAsync($"/v1/artifacts/{path}", new ByteArrayContent(new byte[EmbeddedPlatformFixture.MaxArtifactUploadBytes + 1]));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        await (await platform.Reader.GetAsync($"/v1/artifacts/{path}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnArtifactPathWithABackslashIs400NamingThePath()
    {
        var problem = await (await platform.Reader.GetAsync("/v1/artifacts/a%5Cb")).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.ErrorsFor("path"));
    }

    private static HttpRequestMessage CreateOnly(string path, byte[] content)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/v1/artifacts/{path}") { Content = new ByteArrayContent(content) };
        request.Headers.TryAddWithoutValidation("If-None-Match", "*");
        return request;
    }

    private static string NewName() => "ws-" + Guid.NewGuid().ToString("N")[..8];
}
