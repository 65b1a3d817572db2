namespace OrleansMl.Client;

/// <summary>An endpoint as it serves now.</summary>
/// <param name="Revision">One more on every update.</param>
/// <param name="Inputs">The signature every route shares: one feature vector, or the raw columns when <paramref name="Pipeline"/>.</param>
/// <param name="Pipeline">True when requests carry raw columns, which the versions' fitted steps turn into features.</param>
/// <param name="UpdatedBy">The name of the API key that made this revision.</param>
/// <param name="Image">When the versions read an image import's pixels: how an image sent to <see cref="EndpointsClient.PredictImageAsync"/> is decoded.</param>
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
    bool Pipeline = false,
    EndpointImage? Image = null);

/// <summary>How an endpoint decodes an image it is sent: as its versions' image import did, into <paramref name="Column"/>.</summary>
public sealed record EndpointImage(string Column, int Width, int Height, int Channels);
