namespace OrleansMl.Client;

/// <summary>What to score a dataset version with: a model (with <paramref name="ModelVersion"/> or <paramref name="Alias"/>; neither: its latest) or an endpoint.</summary>
/// <param name="Columns">The input columns to keep (all when null).</param>
/// <param name="Into">The dataset that receives the scored version (default <c>{name}-predictions</c>).</param>
public sealed record ScoreRequest(
    string? Model = null, int? ModelVersion = null, string? Alias = null, string? Endpoint = null, IReadOnlyList<string>? Columns = null, string? Into = null);
