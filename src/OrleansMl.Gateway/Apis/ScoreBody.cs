namespace OrleansMl.Gateway.Apis;

/// <summary>
/// The body of <c>POST /v1/datasets/{name}/versions/{version}/predictions</c>: a model (with
/// <see cref="ModelVersion"/> or <see cref="Alias"/>; neither: its latest version) or an endpoint,
/// the input columns to keep (all when null), and the dataset to write (<c>{name}-predictions</c> when null).
/// </summary>
public sealed record ScoreBody(
    string? Model = null,
    int? ModelVersion = null,
    string? Alias = null,
    string? Endpoint = null,
    IReadOnlyList<string>? Columns = null,
    string? Into = null);
