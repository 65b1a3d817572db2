using Orleans.Placement;

namespace OrleansMl.Serving;

/// <summary>Marks a grain keyed by a silo's address to use <see cref="SiloPlacementStrategy"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloPlacementAttribute() : PlacementAttribute(SiloPlacementStrategy.Singleton);
