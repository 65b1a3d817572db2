namespace OrleansMl.Models;

/// <summary>
/// What a version was trained from: the experiment and run, the trainer, and the training dataset
/// version; for a version exported from another (ONNX from ML.NET), that version.
/// </summary>
[GenerateSerializer, Immutable, Alias("orleansml.ModelLineage")]
public sealed record ModelLineage(
    [property: Id(0)] string? Experiment,
    [property: Id(1)] int? Run,
    [property: Id(2)] string? Trainer,
    [property: Id(3)] string? Dataset,
    [property: Id(4)] int? DatasetVersion,
    [property: Id(5)] int? ExportedFrom = null);
