using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using OrleansMl.Testing;

namespace OrleansMl.Client.Tests.Retries;

/// <summary>
/// A tiny real HTTP server (HttpListener on a free loopback port) that answers the n-th request with
/// <c>script(n)</c> and records every request it received, with its arrival time.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<int, ScriptedAnswer> _script;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _serving;

    public ScriptedServer(Func<int, ScriptedAnswer> script)
    {
        _script = script;
        Address = new Uri($"http://127.0.0.1:{FreePorts.Take(1)[0]}/");
        _listener.Prefixes.Add(Address.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri Address { get; }

    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    /// <summary>The time between consecutive requests.</summary>
    public IReadOnlyList<TimeSpan> Gaps => [.. Received.Zip(Received.Skip(1), (a, b) => b.At - a.At)];

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                await AnswerAsync(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The client gave up on this request (a timeout or cancellation test), or the server is stopping.
            }
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var at = _clock.Elapsed;
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        var index = _received.Count;
        _received.Enqueue(new ReceivedRequest(at, context.Request.HttpMethod, context.Request.Url!.PathAndQuery, body.ToArray(), context.Request.Headers["X-Api-Key"]));

        var answer = _script(index);
        if (answer.Delay > TimeSpan.Zero)
        {
            await Task.Delay(answer.Delay);
        }

        var response = context.Response;
        response.StatusCode = answer.Status;
        if (answer.RetryAfter is not null)
        {
            response.AddHeader("Retry-After", answer.RetryAfter);
        }

        var bytes = Encoding.UTF8.GetBytes(answer.Body);
        response.ContentType = answer.ContentType;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
