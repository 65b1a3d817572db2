namespace OrleansMl.Client;

/// <summary>A model version an endpoint sends traffic to: by <paramref name="Version"/> or by <paramref name="Alias"/> (resolved when the endpoint is set).</summary>
/// <param name="Weight">The relative share of requests (1–1,000,000).</param>
public sealed record EndpointTarget(string Model, int? Version = null, string? Alias = null, int Weight = 100);
