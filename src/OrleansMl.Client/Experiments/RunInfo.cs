namespace OrleansMl.Client;

/// <summary>Everything recorded about one run.</summary>
/// <param name="Summary">Its parameters, status and metrics.</param>
/// <param name="Silos">Every silo that worked on it.</param>
/// <param name="Attempts">1, or more when it was resumed or restarted after its silo died.</param>
/// <param name="MetricHistoryPath">The artifact folder of its per-step metrics (see <see cref="RunsClient.GetMetricsAsync"/>).</param>
/// <param name="Artifacts">Name → artifact path (model, checkpoint, confusion matrix).</param>
public sealed record RunInfo(
    RunSummary Summary,
    string Experiment,
    string Trainer,
    IReadOnlyList<string> Silos,
    int Attempts,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string MetricHistoryPath,
    IReadOnlyDictionary<string, string> Artifacts);
