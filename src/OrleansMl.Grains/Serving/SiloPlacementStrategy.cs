namespace OrleansMl.Serving;

/// <summary>Places a grain whose key is a silo's address on that silo (or, when it is gone, on the first compatible one).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("orleansml.SiloPlacementStrategy")]
public sealed class SiloPlacementStrategy : PlacementStrategy
{
    internal static SiloPlacementStrategy Singleton { get; } = new();
}
