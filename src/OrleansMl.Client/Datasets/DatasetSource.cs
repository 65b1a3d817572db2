namespace OrleansMl.Client;

/// <summary>
/// Where an import reads from: exactly one of <see cref="Path"/> (a file or folder the server can read)
/// and <see cref="Artifact"/> (a path in the artifact store). IDX imports name their labels file the
/// same way in <see cref="LabelsPath"/> or <see cref="LabelsArtifact"/>.
/// </summary>
public sealed record DatasetSource(string? Path = null, string? Artifact = null, string? LabelsPath = null, string? LabelsArtifact = null);
