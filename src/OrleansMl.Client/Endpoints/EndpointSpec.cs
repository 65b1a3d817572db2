namespace OrleansMl.Client;

/// <summary>What an endpoint serves.</summary>
/// <param name="Targets">The versions that answer, with weights (a canary is a small weight).</param>
/// <param name="Shadow">A version that also scores every request; logged, never returned.</param>
/// <param name="LogSampleRate">The share of requests (0 to 1) logged to the store.</param>
public sealed record EndpointSpec(IReadOnlyList<EndpointTarget> Targets, EndpointTarget? Shadow = null, double LogSampleRate = 0);
