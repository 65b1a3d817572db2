namespace OrleansMl.Client;

/// <summary><c>/v1/audit</c>: every change and every refused call, who made it and how it ended (admin keys).</summary>
public sealed class AuditClient
{
    private readonly ApiConnection _api;

    internal AuditClient(ApiConnection api) => _api = api;

    /// <summary>
    /// Entries from <paramref name="from"/> to <paramref name="to"/> (default the last 24 hours; at most 31 days),
    /// optionally only of one key (<paramref name="who"/>), route name or status; at most <paramref name="limit"/> (default 1,000, at most 10,000).
    /// </summary>
    public Task<IReadOnlyList<AuditEntry>> ReadAsync(
        DateTimeOffset? from = null, DateTimeOffset? to = null, string? who = null, string? operation = null, int? status = null, int? limit = null, CancellationToken ct = default) =>
        _api.GetAsync<IReadOnlyList<AuditEntry>>(
            Query.With("v1/audit", ("from", from?.ToString("O", System.Globalization.CultureInfo.InvariantCulture)), ("to", to?.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
                ("who", who), ("operation", operation), ("status", status), ("limit", limit)),
            ct);
}

/// <summary>One call on record.</summary>
/// <param name="Who">The API key's configured name; "anonymous" without a valid key.</param>
/// <param name="Operation">The route's name ("DeleteDataset", "SetEndpoint", …); null when no route matched.</param>
/// <param name="Suppressed">For a summary entry: refused calls left out in the minute before.</param>
public sealed record AuditEntry(DateTimeOffset At, string Who, string? Operation, string Method, string Path, int Status, string TraceId, string? Client, int Suppressed = 0);
