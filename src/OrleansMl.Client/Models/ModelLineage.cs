namespace OrleansMl.Client;

/// <summary>What a version was trained from; <paramref name="ExportedFrom"/> names the version an ONNX export was made from.</summary>
public sealed record ModelLineage(string? Experiment, int? Run, string? Trainer, string? Dataset, int? DatasetVersion, int? ExportedFrom = null);
