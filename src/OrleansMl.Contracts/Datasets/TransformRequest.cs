namespace OrleansMl.Datasets;

/// <summary>
/// Applies steps, in order, to a version (default: the latest) and stores the result as the next
/// version of the dataset the request is sent to.
/// </summary>
/// <param name="Steps">The steps; empty when <paramref name="From"/> names them.</param>
/// <param name="Input">The dataset whose version is transformed; default the dataset the request is sent to.</param>
/// <param name="From">Re-applies the resolved steps of that transformed version unchanged (the same statistics and categories), instead of <paramref name="Steps"/>.</param>
[GenerateSerializer, Immutable, Alias("orleansml.TransformRequest")]
public sealed record TransformRequest(
    [property: Id(0)] IReadOnlyList<TransformStep> Steps,
    [property: Id(1)] int? Version = null,
    [property: Id(2)] string? Input = null,
    [property: Id(3)] StepSource? From = null);
