namespace OrleansMl.Datasets;

/// <summary>
/// Places partition i of a dataset version on silo (i + offset) mod n of the ordered compatible silos,
/// so a version's partitions are spread evenly (a random or hash placement can stack several on one
/// silo); the offset comes from the dataset name and version so small datasets do not all start on the same silo.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("orleansml.PartitionPlacementStrategy")]
public sealed class PartitionPlacementStrategy : PlacementStrategy
{
    internal static PartitionPlacementStrategy Singleton { get; } = new();
}
