namespace OrleansMl.Client;

/// <summary>
/// Where a model version comes from: a succeeded run (<see cref="Experiment"/> and <see cref="Run"/>),
/// or an artifact in the store (<see cref="Artifact"/>, an ML.NET .zip or an ONNX file, with its <see cref="Flavor"/> mlnet|onnx).
/// </summary>
public sealed record ModelSource(string? Experiment = null, int? Run = null, string? Artifact = null, string? Flavor = null)
{
    /// <summary>The model a run trained.</summary>
    public static ModelSource FromRun(string experiment, int run) => new(Experiment: experiment, Run: run);

    /// <summary>A model file already in the artifact store.</summary>
    public static ModelSource FromArtifact(string artifact, string flavor) => new(Artifact: artifact, Flavor: flavor);
}
