namespace OrleansMl.Datasets;

/// <summary>An import, transform or split and how far it has got.</summary>
/// <param name="Kind">import, transform or split.</param>
/// <param name="State">running, succeeded or failed.</param>
/// <param name="Version">The version it creates (visible only once it succeeded).</param>
/// <param name="QuarantinePath">Artifact path of the skipped records (CSV), when any were skipped.</param>
[GenerateSerializer, Immutable, Alias("orleansml.DatasetOperation")]
public sealed record DatasetOperation(
    [property: Id(0)] string Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] string State,
    [property: Id(3)] int Version,
    [property: Id(4)] long BytesRead,
    [property: Id(5)] long? TotalBytes,
    [property: Id(6)] long RowsRead,
    [property: Id(7)] long BadRecords,
    [property: Id(8)] string? QuarantinePath,
    [property: Id(9)] string? Error,
    [property: Id(10)] DateTimeOffset StartedAt,
    [property: Id(11)] DateTimeOffset? FinishedAt)
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public bool IsFinished => State is Succeeded or Failed or Cancelled;
}
