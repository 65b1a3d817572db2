namespace OrleansMl.Datasets;

/// <summary>
/// Where an import reads from: exactly one of <see cref="Path"/> (a file or folder the server can
/// read) and <see cref="Artifact"/> (a path in the artifact store, e.g. an upload). IDX imports name
/// the labels file the same way in <see cref="LabelsPath"/> / <see cref="LabelsArtifact"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("orleansml.DatasetSource")]
public sealed record DatasetSource(
    [property: Id(0)] string? Path = null,
    [property: Id(1)] string? Artifact = null,
    [property: Id(2)] string? LabelsPath = null,
    [property: Id(3)] string? LabelsArtifact = null);
