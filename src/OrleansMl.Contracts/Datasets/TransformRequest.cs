namespace OrleansMl.Datasets;

/// <summary>Applies steps, in order, to a version (default: the latest) and stores the result as the next version.</summary>
[GenerateSerializer, Immutable, Alias("orleansml.TransformRequest")]
public sealed record TransformRequest(
    [property: Id(0)] IReadOnlyList<TransformStep> Steps,
    [property: Id(1)] int? Version = null);
