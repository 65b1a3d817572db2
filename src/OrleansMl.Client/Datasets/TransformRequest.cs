namespace OrleansMl.Client;

/// <summary>Applies <paramref name="Steps"/>, in order, to a version (the latest when null) and stores the result as the next version.</summary>
/// <param name="Input">The dataset whose version is transformed (default: the one the request goes to).</param>
/// <param name="From">Applies the resolved steps of that transformed version again, unchanged, instead of <paramref name="Steps"/>.</param>
public sealed record TransformRequest(IReadOnlyList<TransformStep> Steps, int? Version = null, string? Input = null, StepSource? From = null);
