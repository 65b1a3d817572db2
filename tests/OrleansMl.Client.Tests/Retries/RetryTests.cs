using System.Globalization;
using System.Text;
using OrleansMl.Testing;

namespace OrleansMl.Client.Tests.Retries;

/// <summary>Retries, problems and timeouts against a real local HTTP server that answers as scripted.</summary>
public sealed class RetryTests
{
    private const string Problem503 =
        """{"type":"https://tools.ietf.org/html/rfc9110#section-15.6.4","title":"The cluster is unavailable.","status":503,"detail":"No silo answered.","traceId":"00-abc-01"}""";

    private static readonly TimeSpan AboutOneSecond = TimeSpan.FromMilliseconds(900);

    private static ScriptedAnswer Unavailable(string? retryAfter) => new(503, Problem503, "application/problem+json", retryAfter);

    private static OrleansMlClient ClientOf(ScriptedServer server, int maxRetries = 3, TimeSpan? maxRetryDelay = null, TimeSpan? timeout = null) =>
        new(new OrleansMlClientOptions
        {
            BaseAddress = server.Address,
            ApiKey = "test-key",
            MaxRetries = maxRetries,
            MaxRetryDelay = maxRetryDelay ?? TimeSpan.FromSeconds(30),
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        });

    [Fact]
    public async Task TwoUnavailableAnswersAreWaitedOutForTheirRetryAfterAndTheThirdTrySucceeds()
    {
        await using var server = new ScriptedServer(i => i < 2 ? Unavailable("1") : new ScriptedAnswer(200, """["a","b"]"""));
        using var client = ClientOf(server);

        var names = await client.Datasets.ListAsync();

        Assert.Equal(["a", "b"], names);
        Assert.Equal(3, server.Received.Count);
        Assert.All(server.Received, r => Assert.Equal(("GET", "/v1/datasets", "test-key"), (r.Method, r.PathAndQuery, r.ApiKey)));
        Assert.All(server.Gaps, gap => Assert.True(gap >= AboutOneSecond, $"retried after {gap}"));
    }

    [Fact]
    public async Task TheClientGivesUpAfterMaxRetriesWithTheLastProblem()
    {
        await using var server = new ScriptedServer(_ => Unavailable("1"));
        using var client = ClientOf(server, maxRetries: 2);

        var error = await Assert.ThrowsAsync<OrleansMlApiException>(() => client.Models.ListAsync());

        Assert.Equal(3, server.Received.Count);
        Assert.Equal(503, error.StatusCode);
        Assert.Equal(new ApiProblem("The cluster is unavailable.", "No silo answered.", 503, error.Problem.Errors, "00-abc-01", "https://tools.ietf.org/html/rfc9110#section-15.6.4"), error.Problem);
        Assert.Empty(error.Problem.Errors);
        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
        Assert.StartsWith("The cluster is unavailable. No silo answered.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARetriedPredictionSendsTheSameBodyEveryTimeAnd429IsRetriedToo()
    {
        var answer = """{"endpoint":"ep","model":"m","version":2,"predictions":[{"label":1,"scores":[0.25,null]}]}""";
        await using var server = new ScriptedServer(i => i switch
        {
            0 => Unavailable("0"),
            1 => new ScriptedAnswer(429, "", "text/plain", "0"),
            _ => new ScriptedAnswer(200, answer),
        });
        using var client = ClientOf(server);

        var predicted = await client.Endpoints.PredictAsync("ep", "features", [[1f, 2.5f]]);

        Assert.Equal(("ep", "m", 2, 1L), (predicted.Endpoint, predicted.Model, predicted.Version, predicted.Predictions[0].ClassIndex));
        Assert.True(float.IsNaN(predicted.Predictions[0].Scores![1]), "a null score reads as NaN");
        Assert.Equal(3, server.Received.Count);
        Assert.All(server.Received, r => Assert.Equal("""{"records":[{"features":[1,2.5]}]}""", Encoding.UTF8.GetString(r.Body)));
    }

    [Fact]
    public async Task ASeekableUploadIsSentAgainFromWhereItStood()
    {
        await using var server = new ScriptedServer(i => i == 0
            ? Unavailable("0")
            : new ScriptedAnswer(201, """{"path":"a/b.txt","length":7,"eTag":"\"1\"","lastModified":"2026-11-25T00:00:00+00:00"}"""));
        using var client = ClientOf(server);
        using var content = new MemoryStream("skipme-payload"u8.ToArray()) { Position = 7 };

        var written = await client.Artifacts.UploadAsync("a/b.txt", content);

        Assert.Equal(("a/b.txt", 7L), (written.Path, written.Length));
        Assert.Equal(2, server.Received.Count);
        Assert.All(server.Received, r => Assert.Equal(("PUT", "/v1/artifacts/a/b.txt", "payload"), (r.Method, r.PathAndQuery, Encoding.UTF8.GetString(r.Body))));
        Assert.True(content.CanRead, "the caller's stream is left open");
    }

    [Fact]
    public async Task ANonSeekableUploadIsSentOnceAndNotRetried()
    {
        await using var server = new ScriptedServer(_ => Unavailable("0"));
        using var client = ClientOf(server);
        using var content = new NonSeekableStream(new MemoryStream("id,x\n1,2\n"u8.ToArray()));

        var error = await Assert.ThrowsAsync<OrleansMlApiException>(() => client.Datasets.UploadAsync("d", content, "d.csv", new UploadOptions(HasHeader: true), TimeSpan.FromSeconds(5)));

        Assert.Equal(503, error.StatusCode);
        var request = Assert.Single(server.Received);
        Assert.Equal("/v1/datasets/d/uploads?fileName=d.csv&hasHeader=true&wait=5", request.PathAndQuery);
        Assert.Equal("id,x\n1,2\n", Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public async Task AnHttpDateInRetryAfterIsWaitedFor()
    {
        await using var server = new ScriptedServer(i => i == 0
            ? Unavailable(DateTimeOffset.UtcNow.AddSeconds(3).ToString("r", CultureInfo.InvariantCulture))
            : new ScriptedAnswer(200, "[]"));
        using var client = ClientOf(server);

        Assert.Empty(await client.Experiments.ListAsync());

        // The date is whole seconds, so 2-3 s away; without Retry-After the first delay would be 1 s.
        Assert.True(Assert.Single(server.Gaps) >= TimeSpan.FromSeconds(1.8), $"retried after {server.Gaps[0]}");
    }

    [Fact]
    public async Task WithoutRetryAfterTheDelayDoublesFromOneSecond()
    {
        await using var server = new ScriptedServer(i => i < 2 ? Unavailable(null) : new ScriptedAnswer(200, "[]"));
        using var client = ClientOf(server);

        Assert.Empty(await client.Endpoints.ListAsync());

        Assert.Equal(3, server.Received.Count);
        Assert.True(server.Gaps[0] >= AboutOneSecond, $"first retry after {server.Gaps[0]}");
        Assert.True(server.Gaps[1] >= 2 * AboutOneSecond, $"second retry after {server.Gaps[1]}");
    }

    [Fact]
    public async Task ARetryAfterLongerThanMaxRetryDelayIsCutToIt()
    {
        await using var server = new ScriptedServer(i => i == 0 ? Unavailable("3600") : new ScriptedAnswer(200, "[]"));
        using var client = ClientOf(server, maxRetryDelay: TimeSpan.FromMilliseconds(100));
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        Assert.Empty(await client.Models.ListAsync(patience.Token));
        Assert.Equal(2, server.Received.Count);
    }

    [Fact]
    public async Task CancellingDuringARetryDelayStopsTheCall()
    {
        await using var server = new ScriptedServer(_ => Unavailable("30"));
        using var client = ClientOf(server);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.Datasets.ListAsync(cancel.Token));
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task AnAnswerThatIsNotAProblemKeepsItsStatusTextAndBodyAndIsNotRetried()
    {
        await using var server = new ScriptedServer(_ => new ScriptedAnswer(502, "upstream fell over", "text/plain"));
        using var client = ClientOf(server);

        var error = await Assert.ThrowsAsync<OrleansMlApiException>(() => client.GetClusterAsync());

        Assert.Equal((502, "Bad Gateway", "upstream fell over"), (error.StatusCode, error.Problem.Title, error.Problem.Detail));
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task ATryThatTakesLongerThanTheTimeoutThrowsTimeoutException()
    {
        await using var server = new ScriptedServer(_ => new ScriptedAnswer(200, "[]", Delay: TimeSpan.FromSeconds(3)));
        using var client = ClientOf(server, timeout: TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAsync<TimeoutException>(() => client.Datasets.ListAsync());
    }

    [Fact]
    public async Task ABaseAddressWithAPathPrefixKeepsIt()
    {
        await using var server = new ScriptedServer(_ => new ScriptedAnswer(200, """{"silos":[]}"""));
        using var http = new HttpClient { BaseAddress = new Uri(server.Address, "gateway") };
        using var client = new OrleansMlClient(http, new OrleansMlClientOptions { ApiKey = "k" });

        Assert.Empty((await client.GetClusterAsync()).Silos);
        Assert.Equal("/gateway/v1/cluster", Assert.Single(server.Received).PathAndQuery);
    }
}
