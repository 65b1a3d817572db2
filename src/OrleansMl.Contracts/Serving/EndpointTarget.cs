namespace OrleansMl.Serving;

/// <summary>
/// A model version an endpoint sends traffic to: by <see cref="Version"/>, or by <see cref="Alias"/>
/// (resolved to its version when the endpoint is updated, so the endpoint never moves by itself).
/// </summary>
/// <param name="Weight">The share of requests, relative to the other targets' weights.</param>
[GenerateSerializer, Immutable, Alias("orleansml.EndpointTarget")]
public sealed record EndpointTarget(
    [property: Id(0)] string Model,
    [property: Id(1)] int? Version = null,
    [property: Id(2)] string? Alias = null,
    [property: Id(3)] int Weight = 100);
