namespace OrleansMl.Client;

/// <summary>An RFC 9457 problem as the gateway answers it; validation problems name the fields in <see cref="Errors"/>.</summary>
/// <param name="Title">A short summary of the kind of problem (or the HTTP status text when the answer was not a problem document).</param>
/// <param name="Detail">What went wrong in this call.</param>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Errors">Field → messages, e.g. <c>records[0].features</c>; empty when no field is at fault.</param>
/// <param name="TraceId">Finds the gateway's log entry for this call.</param>
/// <param name="Type">The problem type URI, when given.</param>
/// <param name="Error">The Open Inference Protocol's <c>error</c> string (only on <c>/v2</c> calls).</param>
public sealed record ApiProblem(
    string Title,
    string? Detail,
    int Status,
    IReadOnlyDictionary<string, string[]> Errors,
    string? TraceId = null,
    string? Type = null,
    string? Error = null);
