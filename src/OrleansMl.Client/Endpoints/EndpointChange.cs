namespace OrleansMl.Client;

/// <summary>One revision of an endpoint: what it served from then on, when and by which key (no routes: deleted).</summary>
public sealed record EndpointChange(int Revision, IReadOnlyList<EndpointRoute> Routes, EndpointRoute? Shadow, DateTimeOffset At, string By);
