namespace OrleansMl.Datasets;

/// <summary>Where a version came from: an import source, or a parent version and the steps applied to it.</summary>
/// <param name="Operation">import, transform, split, score or sql.</param>
/// <param name="Source">The import source, a one-line description of the transform, or the SQL query.</param>
[GenerateSerializer, Immutable, Alias("orleansml.DatasetLineage")]
public sealed record DatasetLineage(
    [property: Id(0)] string Operation,
    [property: Id(1)] string Source,
    [property: Id(2)] string? ParentDataset,
    [property: Id(3)] int? ParentVersion,
    [property: Id(4)] IReadOnlyList<TransformStep> Steps)
{
    /// <summary>For a version written by SQL: every dataset version the query read, as <c>name@version</c>.</summary>
    [Id(5)]
    public IReadOnlyList<string> Reads { get; init; } = [];
}
