namespace OrleansMl.Client;

/// <summary>A resolved target: a model version, its traffic weight and its flavour.</summary>
public sealed record EndpointRoute(string Model, int Version, int Weight, string Flavor);
