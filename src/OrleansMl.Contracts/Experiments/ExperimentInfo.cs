namespace OrleansMl.Experiments;

/// <summary>An experiment: its spec (with dataset versions pinned), state, run counts and best run.</summary>
/// <param name="Pipeline">The feature steps fitted on the training rows, once the experiment has prepared its data (specs with steps).</param>
/// <param name="State">created, running, succeeded (every run accounted for), failed or cancelled.</param>
[GenerateSerializer, Immutable, Alias("orleansml.ExperimentInfo")]
public sealed record ExperimentInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] ExperimentSpec Spec,
    [property: Id(2)] string State,
    [property: Id(3)] string Metric,
    [property: Id(4)] bool Maximize,
    [property: Id(5)] IReadOnlyDictionary<string, int> RunCounts,
    [property: Id(6)] RunSummary? Best,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset? StartedAt,
    [property: Id(9)] DateTimeOffset? FinishedAt,
    [property: Id(10)] string? StopReason,
    [property: Id(11)] Pipelines.ModelPipeline? Pipeline = null);
