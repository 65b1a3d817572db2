namespace OrleansMl.Client;

/// <summary>An endpoint as it serves now.</summary>
/// <param name="Revision">One more on every update.</param>
/// <param name="Inputs">The signature every route shares: one feature vector, or the raw columns when <paramref name="Pipeline"/>.</param>
/// <param name="Pipeline">True when requests carry raw columns, which the versions' fitted steps turn into features.</param>
/// <param name="UpdatedBy">The name of the API key that made this revision.</param>
public sealed record EndpointInfo(
    string Name,
    int Revision,
    IReadOnlyList<EndpointRoute> Routes,
    EndpointRoute? Shadow,
    double LogSampleRate,
    IReadOnlyList<DatasetColumn> Inputs,
    IReadOnlyList<DatasetColumn> Outputs,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    bool Pipeline = false);
