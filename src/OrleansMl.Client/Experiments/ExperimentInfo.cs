namespace OrleansMl.Client;

/// <summary>An experiment: its spec (dataset versions pinned), state, run counts and best run.</summary>
/// <param name="State">created, preparing, running, succeeded, failed or cancelled (see <see cref="IsFinished"/>).</param>
/// <param name="Metric">The metric that ranks the runs.</param>
/// <param name="Maximize">Whether a larger <paramref name="Metric"/> is better.</param>
/// <param name="RunCounts">Run status → count.</param>
/// <param name="StopReason">Why no more runs started (budget, target, cancelled), when it says.</param>
/// <param name="Pipeline">The steps fitted on the training rows (experiments with steps, once prepared).</param>
public sealed record ExperimentInfo(
    string Name,
    ExperimentSpec Spec,
    string State,
    string Metric,
    bool Maximize,
    IReadOnlyDictionary<string, int> RunCounts,
    RunSummary? Best,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? StopReason,
    ModelPipeline? Pipeline = null)
{
    /// <summary>The experiment has ended: succeeded, failed or cancelled.</summary>
    public bool IsFinished => State is "succeeded" or "failed" or "cancelled";
}
