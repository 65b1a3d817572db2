using System.Globalization;
using System.Text.Json;

namespace OrleansMl.Client;

/// <summary><c>/v1/runs/{experiment}/{index}</c>: one run, its metric history, cancel, delete.</summary>
public sealed class RunsClient
{
    private readonly ApiConnection _api;

    internal RunsClient(ApiConnection api) => _api = api;

    /// <summary>Everything recorded about a run; 404 when there is none.</summary>
    public Task<RunInfo> GetAsync(string experiment, int index, CancellationToken ct = default) =>
        _api.GetAsync<RunInfo>(RunPath(experiment, index), ct);

    /// <summary>The run's per-step metrics, in the order they were logged.</summary>
    public async Task<IReadOnlyList<MetricStep>> GetMetricsAsync(string experiment, int index, CancellationToken ct = default)
    {
        using var response = await _api.SendAsync(HttpMethod.Get, $"{RunPath(experiment, index)}/metrics", RequestBody.None, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        var steps = new List<MetricStep>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            steps.Add(JsonSerializer.Deserialize<MetricStep>(line, ClientJson.Options)
                ?? throw new JsonException($"A metric line of run {index} of '{experiment}' is null."));
        }

        return steps;
    }

    /// <summary>Cancels the run.</summary>
    public Task CancelAsync(string experiment, int index, CancellationToken ct = default) =>
        _api.SendAsync(HttpMethod.Post, $"{RunPath(experiment, index)}/cancel", RequestBody.None, ct);

    /// <summary>Deletes a finished run with its artifacts and metric history (admin); refused (409) while it runs.</summary>
    public Task DeleteAsync(string experiment, int index, CancellationToken ct = default) =>
        _api.SendAsync(HttpMethod.Delete, RunPath(experiment, index), RequestBody.None, ct);

    private static string RunPath(string experiment, int index) =>
        $"v1/runs/{Query.Segment(experiment)}/{index.ToString(CultureInfo.InvariantCulture)}";
}
