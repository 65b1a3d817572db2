using System.Runtime.CompilerServices;
using System.Text.Json;

namespace OrleansMl.Client;

/// <summary><c>/v1/experiments</c>: start an experiment, follow it (long-poll or a stream of run updates), list and compare its runs, cancel it.</summary>
public sealed class ExperimentsClient
{
    private const string Root = "v1/experiments";

    private readonly ApiConnection _api;

    internal ExperimentsClient(ApiConnection api) => _api = api;

    /// <summary>The names of all experiments.</summary>
    public Task<IReadOnlyList<string>> ListAsync(CancellationToken ct = default) =>
        _api.GetAsync<IReadOnlyList<string>>(Root, ct);

    /// <summary>
    /// Creates and starts an experiment (<c>PUT</c>; idempotent for the same spec). With <paramref name="wait"/>
    /// the server waits up to that long (at most 300 s) for it to finish. A bad spec is a 400 naming the field.
    /// </summary>
    public Task<ExperimentInfo> StartAsync(string name, ExperimentSpec spec, TimeSpan? wait = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return _api.SendAsync<ExperimentInfo>(HttpMethod.Put, Query.With(ExperimentPath(name), ("wait", Query.WaitSeconds(wait))), RequestBody.Json(spec), ct);
    }

    /// <summary>The experiment; with <paramref name="wait"/>, once it finished or that time passed.</summary>
    public Task<ExperimentInfo> GetAsync(string name, TimeSpan? wait = null, CancellationToken ct = default) =>
        _api.GetAsync<ExperimentInfo>(Query.With(ExperimentPath(name), ("wait", Query.WaitSeconds(wait))), ct);

    /// <summary>
    /// Follows the experiment until it succeeded, failed or was cancelled, with server-side waits of at
    /// most 20 s a call (less when the timeout is short), reporting each state seen; returns the last (a failure is not thrown).
    /// </summary>
    public async Task<ExperimentInfo> WaitAsync(string name, IProgress<ExperimentInfo>? progress = null, CancellationToken ct = default)
    {
        while (true)
        {
            var info = await GetAsync(name, _api.PollWait, ct).ConfigureAwait(false);
            progress?.Report(info);
            if (info.IsFinished)
            {
                return info;
            }
        }
    }

    /// <summary>
    /// Runs, best first by <paramref name="sortBy"/> (a metric), ordered by a parameter, or by index, a page at a time
    /// (server default: 100 from 0); <paramref name="filter"/> keeps those that pass, e.g. <c>accuracy &gt; 0.9 and l2 &lt;= 0.01</c>.
    /// </summary>
    public Task<IReadOnlyList<RunSummary>> ListRunsAsync(string name, string? sortBy = null, bool? descending = null, int? skip = null, int? take = null, string? filter = null, CancellationToken ct = default) =>
        _api.GetAsync<IReadOnlyList<RunSummary>>(
            Query.With($"{ExperimentPath(name)}/runs", ("sortBy", sortBy), ("descending", descending), ("skip", skip), ("take", take), ("filter", filter)),
            ct);

    /// <summary>The named runs (by index) side by side.</summary>
    public Task<IReadOnlyList<RunInfo>> CompareAsync(string name, IEnumerable<int> runs, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return _api.GetAsync<IReadOnlyList<RunInfo>>(Query.With($"{ExperimentPath(name)}/compare", ("runs", string.Join(',', runs))), ct);
    }

    /// <summary>
    /// The server-sent event stream of run updates: every run's state first, then each change, until the
    /// experiment ends (the stream then closes and the enumeration completes). Cancel to stop early.
    /// </summary>
    public async IAsyncEnumerable<RunSummary> WatchAsync(string name, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var response = await _api.SendAsync(HttpMethod.Get, $"{ExperimentPath(name)}/watch", RequestBody.None, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var message in ServerSentEventReader.ReadAsync(stream, ct).ConfigureAwait(false))
            {
                if (message.Type == "run")
                {
                    yield return JsonSerializer.Deserialize<RunSummary>(message.Data, ClientJson.Options)
                        ?? throw new JsonException($"A run event of experiment '{name}' carried null.");
                }
            }
        }
    }

    /// <summary>Stops starting runs and cancels the running ones; 404 when there is no such experiment.</summary>
    public Task<ExperimentInfo> CancelAsync(string name, CancellationToken ct = default) =>
        _api.SendAsync<ExperimentInfo>(HttpMethod.Post, $"{ExperimentPath(name)}/cancel", RequestBody.None, ct);

    /// <summary>Deletes a finished experiment with its runs and their artifacts (admin); refused (409) while it runs.</summary>
    public Task DeleteAsync(string name, CancellationToken ct = default) =>
        _api.SendAsync(HttpMethod.Delete, ExperimentPath(name), RequestBody.None, ct);

    private static string ExperimentPath(string name) => $"{Root}/{Query.Segment(name)}";
}
