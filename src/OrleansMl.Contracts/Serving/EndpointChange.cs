namespace OrleansMl.Serving;

/// <summary>One revision of an endpoint: what it served from then on, when and by which key (no routes: deleted).</summary>
[GenerateSerializer, Immutable, Alias("orleansml.EndpointChange")]
public sealed record EndpointChange(
    [property: Id(0)] int Revision,
    [property: Id(1)] IReadOnlyList<EndpointRoute> Routes,
    [property: Id(2)] EndpointRoute? Shadow,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string By);
