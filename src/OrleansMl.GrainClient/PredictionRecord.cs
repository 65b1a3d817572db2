using OrleansMl.Serving;

namespace OrleansMl.GrainClient;

/// <summary>One line of an endpoint's prediction log: a sampled request with its answer, or a shadow version's answer to a request next to the one returned.</summary>
/// <param name="Kind">"sample" or "shadow".</param>
/// <param name="Features">The request's rows (samples only).</param>
/// <param name="Served">The version's prediction that was returned (for a shadow record: the one it is compared with).</param>
/// <param name="Shadow">The shadow version's prediction (shadow records only; null when it failed).</param>
/// <param name="ShadowError">Why the shadow version could not answer.</param>
/// <param name="Columns">The request's raw columns, for versions with fitted steps (samples only).</param>
public sealed record PredictionRecord(
    string Kind,
    DateTimeOffset At,
    string Endpoint,
    int Rows,
    float[]? Features,
    Prediction Served,
    Prediction? Shadow,
    string? ShadowError = null,
    IReadOnlyList<RecordColumn>? Columns = null);
