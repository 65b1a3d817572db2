namespace OrleansMl.Experiments;

/// <summary>Everything recorded about one run.</summary>
/// <param name="Silos">Every silo that worked on the run (the coordinator's, and those of the partitions it used).</param>
/// <param name="Attempts">1, or more when the run was restarted or resumed after its silo died.</param>
/// <param name="MetricHistoryPath">Artifact with the per-step metrics, JSON lines, appended in batches.</param>
/// <param name="Artifacts">Name → artifact path (model, checkpoint, confusion matrix).</param>
[GenerateSerializer, Immutable, Alias("orleansml.RunInfo")]
public sealed record RunInfo(
    [property: Id(0)] RunSummary Summary,
    [property: Id(1)] string Experiment,
    [property: Id(2)] string Trainer,
    [property: Id(3)] IReadOnlyList<string> Silos,
    [property: Id(4)] int Attempts,
    [property: Id(5)] DateTimeOffset? StartedAt,
    [property: Id(6)] DateTimeOffset? FinishedAt,
    [property: Id(7)] string MetricHistoryPath,
    [property: Id(8)] IReadOnlyDictionary<string, string> Artifacts);
