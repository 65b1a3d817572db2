namespace OrleansMl.Experiments;

/// <summary>One run as the experiment lists it: parameters, state and final metrics.</summary>
/// <param name="Status">pending, running, succeeded, failed, cancelled or deleted.</param>
[GenerateSerializer, Immutable, Alias("orleansml.RunSummary")]
public sealed record RunSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] int Index,
    [property: Id(2)] IReadOnlyDictionary<string, string> Params,
    [property: Id(3)] string Status,
    [property: Id(4)] IReadOnlyDictionary<string, double> Metrics,
    [property: Id(5)] double? DurationSeconds,
    [property: Id(6)] string? Error)
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    /// <summary>Deleted by an admin: its files are gone, it counts for nothing, and listings leave it out.</summary>
    public const string Deleted = "deleted";

    public bool IsFinished => Status is Succeeded or Failed or Cancelled or Deleted;
}
