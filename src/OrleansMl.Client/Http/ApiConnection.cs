using System.Net.Http.Headers;
using System.Text.Json;
using Polly;

namespace OrleansMl.Client;

/// <summary>
/// What every call shares: the base address, the API key, the per-try timeout, retries on 503 and 429
/// (<see cref="RetryPipeline"/>), JSON both ways, and problems turned into <see cref="OrleansMlApiException"/>.
/// </summary>
internal sealed class ApiConnection : IDisposable
{
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");
    private static readonly MediaTypeWithQualityHeaderValue AcceptProblem = new("application/problem+json");

    private static readonly TimeSpan MaxPollWait = TimeSpan.FromSeconds(20);

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _baseAddress;
    private readonly string? _apiKey;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline<HttpResponseMessage> _retries;

    /// <summary>Uses <paramref name="http"/>, or, when null, an HttpClient of its own that it disposes. The options are read once, here.</summary>
    public ApiConnection(HttpClient? http, OrleansMlClientOptions options, TimeProvider time)
    {
        options.Validate();
        _retries = RetryPipeline.Create(options, time);
        _ownsHttp = http is null;
        _http = http ?? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan, // each try has its own timeout (options.Timeout)
        };
        var address = _http.BaseAddress ?? options.BaseAddress;
        _baseAddress = address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
        _apiKey = options.ApiKey;
        _timeout = options.Timeout;
        _time = time;
    }

    /// <summary>
    /// The server-side wait each call of a long wait (<c>WaitAsync</c>) asks for: 20 s, or half the
    /// per-try timeout when that is shorter, so a try never times out while the server waits.
    /// </summary>
    public TimeSpan PollWait =>
        _timeout == System.Threading.Timeout.InfiniteTimeSpan || _timeout >= 2 * MaxPollWait ? MaxPollWait
        : _timeout / 2 > TimeSpan.FromSeconds(1) ? _timeout / 2 : TimeSpan.FromSeconds(1);

    public Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Get, path, RequestBody.None, cancellationToken);

    /// <summary>Sends, and reads the answer's JSON as <typeparamref name="T"/>.</summary>
    public async Task<T> SendAsync<T>(HttpMethod method, string path, RequestBody body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, body, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var json = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return ClientJson.Deserialize<T>(json, $"{method} {path}");
        }
        catch (JsonException e)
        {
            throw new JsonException($"The answer to {method} {path} is not the expected {typeof(T).Name}: {e.Message}", e.Path, e.LineNumber, e.BytePositionInLine, e);
        }
    }

    /// <summary>Sends, and drops the answer's body.</summary>
    public async Task SendAsync(HttpMethod method, string path, RequestBody body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, body, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends (through the retries when the body can be sent again) and returns a successful answer;
    /// any other answer is disposed and thrown as an <see cref="OrleansMlApiException"/>.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, RequestBody body, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pipeline = body.IsReplayable ? _retries : ResiliencePipeline<HttpResponseMessage>.Empty;
        var response = await pipeline.ExecuteAsync(
            token => SendOnceAsync(method, path, body, completion, token),
            cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ProblemReader.ExceptionAsync(response, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One try, without retries or problem handling: the answer whatever its status, or null when the server cannot be reached.</summary>
    public async Task<HttpResponseMessage?> TrySendOnceAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await SendOnceAsync(method, path, RequestBody.None, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException)
        {
            return null;
        }
    }

    private async ValueTask<HttpResponseMessage> SendOnceAsync(HttpMethod method, string path, RequestBody body, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_baseAddress, path)) { Content = body.CreateContent() };
        request.Headers.Accept.Add(AcceptJson);
        request.Headers.Accept.Add(AcceptProblem);
        if (_apiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Api-Key", _apiKey);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            return await _http.SendAsync(request, completion, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"{method} {request.RequestUri} did not answer within {_timeout}.", e);
        }
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}
