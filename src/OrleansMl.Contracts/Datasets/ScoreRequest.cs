namespace OrleansMl.Datasets;

/// <summary>
/// Scores every row of a dataset version with a model version and writes the next version of the
/// dataset the request is sent to: the columns kept from the input plus the prediction columns.
/// </summary>
/// <param name="Input">The dataset to score.</param>
/// <param name="Version">Its version; null for the latest.</param>
/// <param name="Model">The model; with <paramref name="ModelVersion"/> or <paramref name="Alias"/> (neither: the latest version).</param>
/// <param name="Endpoint">Instead of a model: the version that takes the largest share of the endpoint's traffic.</param>
/// <param name="Columns">The input columns to keep, in order; null keeps them all.</param>
[GenerateSerializer, Immutable, Alias("orleansml.ScoreRequest")]
public sealed record ScoreRequest(
    [property: Id(0)] string Input,
    [property: Id(1)] int? Version = null,
    [property: Id(2)] string? Model = null,
    [property: Id(3)] int? ModelVersion = null,
    [property: Id(4)] string? Alias = null,
    [property: Id(5)] string? Endpoint = null,
    [property: Id(6)] IReadOnlyList<string>? Columns = null);
