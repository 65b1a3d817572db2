using Orleans.Placement;

namespace OrleansMl.Datasets;

/// <summary>Marks a grain keyed "{dataset}/v{n}/{index}" to use <see cref="PartitionPlacementStrategy"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class PartitionPlacementAttribute() : PlacementAttribute(PartitionPlacementStrategy.Singleton);
