namespace OrleansMl.Client;

/// <summary>One run as its experiment lists it: parameters, status and final metrics.</summary>
/// <param name="Status">pending, running, succeeded, failed or cancelled.</param>
/// <param name="Metrics">Metric → value, e.g. <c>accuracy</c>, <c>log_loss</c>.</param>
public sealed record RunSummary(
    string Id,
    int Index,
    IReadOnlyDictionary<string, string> Params,
    string Status,
    IReadOnlyDictionary<string, double> Metrics,
    double? DurationSeconds,
    string? Error)
{
    /// <summary>The run has stopped: succeeded, failed or cancelled.</summary>
    public bool IsFinished => Status is "succeeded" or "failed" or "cancelled";
}
