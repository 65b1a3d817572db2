namespace OrleansMl.Datasets;

/// <summary>
/// A split in progress, recorded in its source dataset's state before any file is written: which
/// versions of which datasets it reserved. If its silo stops, the source's next activation finishes
/// it when both manifests were written (both versions become visible) or removes both versions'
/// files; never one side without the other.
/// </summary>
[GenerateSerializer, Immutable, Alias("orleansml.PendingSplit")]
public sealed record PendingSplit(
    [property: Id(0)] string OperationId,
    [property: Id(1)] string Train,
    [property: Id(2)] int TrainVersion,
    [property: Id(3)] string Test,
    [property: Id(4)] int TestVersion);
