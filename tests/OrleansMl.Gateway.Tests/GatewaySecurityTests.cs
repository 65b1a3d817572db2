using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansMl.Gateway.Security;

namespace OrleansMl.Gateway.Tests;

[Collection(EmbeddedPlatformCollection.Name)]
public sealed class GatewaySecurityTests(EmbeddedPlatformFixture platform)
{
    /// <summary>Every route states who may call it, and one that does not needs an admin (the fallback policy).</summary>
    [Fact]
    public void EveryRouteNamesItsRoleOrIsOpenOnPurposeAndTheRestNeedAnAdmin()
    {
        var endpoints = platform.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        var unstated = endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAuthorizeData>() is null && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Select(e => e.RoutePattern.RawText)
            .ToList();
        var fallback = platform.Services.GetRequiredService<IOptions<AuthorizationOptions>>().Value.FallbackPolicy;

        Assert.True(endpoints.Count > 50, $"only {endpoints.Count} endpoints found");
        Assert.NotNull(fallback);
        Assert.Equal([GatewayPolicies.Admin], fallback.Requirements.OfType<RolesAuthorizationRequirement>().Single().AllowedRoles);
        Assert.True(unstated.Count == 0, $"routes without a stated role (they fall back to admin): {string.Join(", ", unstated)}");
    }

    [Fact]
    public async Task HealthProbesAnswerWithoutAKey()
    {
        Assert.Equal("Healthy", await platform.Anonymous.GetStringAsync("/health/live"));
        Assert.Equal("Healthy", await platform.Anonymous.GetStringAsync("/health/ready"));
    }

    [Fact]
    public async Task ACallWithoutAKeyIs401ProblemWithAChallenge()
    {
        var response = await platform.Anonymous.GetAsync("/v1/cluster");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongKeyIs401()
    {
        using var client = new HttpClient { BaseAddress = platform.Reader.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", "not-a-key");

        await (await client.GetAsync("/v1/cluster")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TheKeyMayAlsoComeInTheAuthorizationHeader()
    {
        using var client = new HttpClient { BaseAddress = platform.Reader.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("ApiKey", TestKeys.Reader);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/cluster")).StatusCode);
    }

    [Fact]
    public async Task EachRoleMayDoWhatItsRoleAllowsAndNoMore()
    {
        var name = "ws-" + Guid.NewGuid().ToString("N")[..8];
        var body = new { description = "d", tags = new Dictionary<string, string>() };

        await (await platform.Reader.PutAsJsonAsync($"/v1/workspaces/{name}", body)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await platform.Scientist.PutAsJsonAsync($"/v1/workspaces/{name}", body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await platform.Reader.GetAsync($"/v1/workspaces/{name}")).StatusCode);
        await (await platform.Scientist.DeleteAsync($"/v1/workspaces/{name}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.NoContent, (await platform.Admin.DeleteAsync($"/v1/workspaces/{name}")).StatusCode);
    }

    [Fact]
    public async Task ARefusedCallSaysWhichRoleItNeeds()
    {
        var problem = await (await platform.Reader.PutAsync($"/v1/artifacts/uploads/tests/{Guid.NewGuid():N}", new ByteArrayContent([1]))).AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal("This call needs the scientist role; the caller has the reader role.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("datasets/weather/v1/part-00000.parquet")]
    [InlineData("runs/sweep/00000/model.zip")]
    [InlineData("models/churn/1/model.zip")]
    [InlineData("endpoints/churn/predictions/2026-12-02/x.jsonl")]
    [InlineData("Datasets/weather/v1/manifest.json")]
    [InlineData("models/none")]
    public async Task ThePlatformsNamespacesAreReadOnlyThroughTheArtifactApi(string path)
    {
        var put = await (await platform.Scientist.PutAsync($"/v1/artifacts/{path}", new ByteArrayContent([1]))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await platform.Admin.PutAsync($"/v1/artifacts/{path}", new ByteArrayContent([1]))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await platform.Admin.DeleteAsync($"/v1/artifacts/{path}")).AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Contains("read-only through /v1/artifacts", put.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await (await platform.Reader.GetAsync($"/v1/artifacts/{path}")).AssertProblemAsync(HttpStatusCode.NotFound); // nothing was written
    }

    [Fact]
    public async Task OtherFoldersStayWritableForScientists()
    {
        var path = $"uploads/tests/{Guid.NewGuid():N}/datasets/x.csv";

        Assert.Equal(HttpStatusCode.Created, (await platform.Scientist.PutAsync($"/v1/artifacts/{path}", new ByteArrayContent([1, 2]))).StatusCode);
        Assert.Equal([1, 2], await platform.Reader.GetByteArrayAsync($"/v1/artifacts/{path}"));
    }

    [Theory]
    [InlineData("/v1/datasets")]
    [InlineData("/v1/experiments")]
    [InlineData("/v1/models")]
    [InlineData("/v1/cluster")]
    [InlineData("/v1/artifacts/?prefix=endpoints/")]
    [InlineData("/v1/workspaces/any")]
    public async Task AKeyLimitedToEndpointsReachesNothingElse(string route)
    {
        var problem = await (await platform.App.GetAsync(route)).AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Contains("limited to chosen endpoints", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await platform.Reader.GetAsync(route.Replace("/v1/workspaces/any", "/v1/cluster", StringComparison.Ordinal))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await platform.App.GetAsync("/v1/endpoints")).StatusCode);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheApi()
    {
        var document = await platform.Anonymous.GetStringAsync("/openapi/v1.json");

        Assert.Contains("\"/v1/workspaces/{name}\"", document, StringComparison.Ordinal);
        Assert.Contains("\"/v1/artifacts/{path}\"", document, StringComparison.Ordinal);
        Assert.Contains("\"/v1/cluster\"", document, StringComparison.Ordinal);

        // The API-key scheme, required by default, so that explorers and generated clients send the key.
        using var json = System.Text.Json.JsonDocument.Parse(document);
        var scheme = json.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty(ApiKeyAuthenticationHandler.SchemeName);
        Assert.Equal(("apiKey", "header", ApiKeyAuthenticationHandler.HeaderName), (scheme.GetProperty("type").GetString(), scheme.GetProperty("in").GetString(), scheme.GetProperty("name").GetString()));
        Assert.True(json.RootElement.GetProperty("security")[0].TryGetProperty(ApiKeyAuthenticationHandler.SchemeName, out _), document[..200]);
    }

    [Fact]
    public async Task TheApiReferencePageServesItselfWithoutCdnOrFontsAndKnowsTheKeyScheme()
    {
        var page = await platform.Anonymous.GetAsync("/api/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("\"openapi/v1.json\"", html, StringComparison.Ordinal); // resolved against the site's root by the page
        Assert.Contains(ApiKeyAuthenticationHandler.SchemeName, html, StringComparison.Ordinal);

        // Every script it loads comes from this gateway (air-gapped), and it is really there.
        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script[^>]*src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        var bytes = 0L;
        foreach (var script in scripts)
        {
            Assert.False(Uri.TryCreate(script, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal), $"the page loads {script} from elsewhere");
            var body = await platform.Anonymous.GetAsync(new Uri(page.RequestMessage!.RequestUri!, script));
            Assert.Equal(HttpStatusCode.OK, body.StatusCode);
            bytes += (await body.Content.ReadAsByteArrayAsync()).Length;
        }

        Assert.True(bytes > 1_000_000, $"the scripts hold {bytes} bytes: not the whole reference");

        Assert.DoesNotContain("fonts.scalar.com", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDashboardNeedsTheAdminRole()
    {
        // Without a key it is behind the web UI's sign-in (a browser is sent there), with a key the key's role decides.
        var anonymous = await platform.Anonymous.GetAsync("/dashboard/");
        Assert.Equal("/sign-in", anonymous.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("/dashboard/", System.Web.HttpUtility.ParseQueryString(anonymous.RequestMessage.RequestUri.Query)["ReturnUrl"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await platform.Scientist.GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await platform.Admin.GetAsync("/dashboard/")).StatusCode);
    }

    [Fact]
    public async Task AUiPageAskedForWithAKeyCallsTheApiWithThatKey()
    {
        // A script or curl with the key on the request, not a signed-in browser: the page shows what the key may read.
        var page = await platform.Reader.GetStringAsync("/datasets");
        Assert.DoesNotContain("Unauthorized", page, StringComparison.Ordinal);
        Assert.Contains("<h1>Datasets</h1>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePrometheusScrapeNeedsTheAdminRoleAndServesTheMeters()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await platform.Reader.GetAsync("/metrics")).StatusCode);
        // The runtime's meters. ASP.NET Core's and HttpClient's are asserted by the deploy tests, one platform per process: here,
        // where many platforms come and go, they stop when another platform's meters of the same name are disposed (docs/operations.md).
        var text = await ScrapeUntilAsync(t => t.Contains("dotnet_gc_collections_total", StringComparison.Ordinal));
        Assert.Contains("# TYPE", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_collections_total", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePlatformsOwnMetersCountImportedRowsAndCachedPartitions()
    {
        var name = "metered-" + Guid.NewGuid().ToString("N")[..8];
        using (var upload = await platform.Admin.PostAsync($"/v1/datasets/{name}/uploads?fileName=m.csv&wait=30", new StringContent("x,y\n1,2\n3,4\n5,6\n")))
        {
            Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.OK, (await platform.Admin.GetAsync($"/v1/datasets/{name}/versions/latest/head")).StatusCode); // loads a partition
        var text = await ScrapeUntilAsync(t => t.Contains("orleansml_dataset_rows_total", StringComparison.Ordinal) && t.Contains("orleansml_partitions_cached_bytes", StringComparison.Ordinal));
        var rows = System.Text.RegularExpressions.Regex.Match(text, "^orleansml_dataset_rows_total\\{[^}]*kind=\"import\"[^}]*\\} (\\d+)", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.True(rows.Success, text);
        Assert.True(long.Parse(rows.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 3);
        var cached = System.Text.RegularExpressions.Regex.Match(text, "^orleansml_partitions_cached_bytes(?:\\{[^}]*\\})? (\\d+)", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.True(cached.Success && long.Parse(cached.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, text);
    }

    /// <summary>Scrapes <c>/metrics</c> as admin until <paramref name="done"/> (at most 5 s), answering the last text.</summary>
    private async Task<string> ScrapeUntilAsync(Func<string, bool> done)
    {
        var text = "";
        for (var attempt = 0; attempt < 25; attempt++)
        {
            using var scrape = await platform.Admin.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
            text = await scrape.Content.ReadAsStringAsync();
            if (done(text))
            {
                break;
            }

            await Task.Delay(200);
        }

        return text;
    }
}
