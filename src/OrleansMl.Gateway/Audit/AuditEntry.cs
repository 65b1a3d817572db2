namespace OrleansMl.Gateway.Audit;

/// <summary>One call on record: who (the API key's name, or "anonymous"), what, when, and how it ended.</summary>
/// <param name="At">When the answer was given.</param>
/// <param name="Who">The key's configured name; "anonymous" without a valid key.</param>
/// <param name="Operation">The route's name ("DeleteDataset", "SetEndpoint", …); null when no route matched.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path as called, without the query.</param>
/// <param name="Status">The answer's status code.</param>
/// <param name="TraceId">Finds the call in the logs and traces.</param>
/// <param name="Client">The caller's address.</param>
/// <param name="Suppressed">For a summary entry: refused calls left out in the minute before (see <see cref="AuditLog"/>).</param>
public sealed record AuditEntry(
    DateTimeOffset At, string Who, string? Operation, string Method, string Path, int Status, string TraceId, string? Client, int Suppressed = 0);
