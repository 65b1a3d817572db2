namespace OrleansMl.Client;

/// <summary>An import, transform or split, and how far it has got.</summary>
/// <param name="Kind">import, transform or split.</param>
/// <param name="State">running, succeeded or failed (see <see cref="IsFinished"/>).</param>
/// <param name="Version">The version it creates (visible once it succeeded).</param>
/// <param name="TotalBytes">The source's size, when known.</param>
/// <param name="BadRecords">Records skipped into the quarantine file.</param>
/// <param name="QuarantinePath">The artifact holding the skipped records, when any were skipped.</param>
/// <param name="Error">Why it failed, with the file, line and column for bad input.</param>
public sealed record DatasetOperation(
    string Id,
    string Kind,
    string State,
    int Version,
    long BytesRead,
    long? TotalBytes,
    long RowsRead,
    long BadRecords,
    string? QuarantinePath,
    string? Error,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt)
{
    /// <summary>The operation has stopped (its state is no longer <c>running</c>).</summary>
    public bool IsFinished => State != "running";
}
