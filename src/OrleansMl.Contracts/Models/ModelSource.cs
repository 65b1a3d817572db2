namespace OrleansMl.Models;

/// <summary>
/// Where a model version comes from: a finished run (<see cref="Experiment"/> and <see cref="Run"/>),
/// or an artifact already in the store (<see cref="Artifact"/>, an ML.NET .zip or an ONNX file, with its <see cref="Flavor"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("orleansml.ModelSource")]
public sealed record ModelSource(
    [property: Id(0)] string? Experiment = null,
    [property: Id(1)] int? Run = null,
    [property: Id(2)] string? Artifact = null,
    [property: Id(3)] string? Flavor = null);
