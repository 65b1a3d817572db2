namespace OrleansMl.Serving;

/// <summary>A resolved target: a model version, its flavour and its traffic weight.</summary>
[GenerateSerializer, Immutable, Alias("orleansml.EndpointRoute")]
public sealed record EndpointRoute(
    [property: Id(0)] string Model,
    [property: Id(1)] int Version,
    [property: Id(2)] int Weight,
    [property: Id(3)] string Flavor);
