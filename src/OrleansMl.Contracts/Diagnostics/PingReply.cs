namespace OrleansMl.Diagnostics;

/// <summary>The answer to <see cref="IPingGrain.PingAsync"/>.</summary>
[GenerateSerializer, Immutable, Alias("orleansml.PingReply")]
public sealed record PingReply([property: Id(0)] long Value, [property: Id(1)] string Silo);
