namespace OrleansMl.Serving;

/// <summary>What an endpoint serves.</summary>
/// <param name="Targets">The versions that answer, with traffic weights (a canary is a small weight).</param>
/// <param name="Shadow">A version that also scores every request; its predictions are logged, never returned.</param>
/// <param name="LogSampleRate">The share of requests (0 to 1) whose request and response are logged to the store.</param>
[GenerateSerializer, Immutable, Alias("orleansml.EndpointSpec")]
public sealed record EndpointSpec(
    [property: Id(0)] IReadOnlyList<EndpointTarget> Targets,
    [property: Id(1)] EndpointTarget? Shadow = null,
    [property: Id(2)] double LogSampleRate = 0);
