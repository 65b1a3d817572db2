namespace OrleansMl.Models;

/// <summary>One move of an alias: from which version to which (null when set first or removed), when and by whom.</summary>
[GenerateSerializer, Immutable, Alias("orleansml.AliasChange")]
public sealed record AliasChange(
    [property: Id(0)] string Alias,
    [property: Id(1)] int? From,
    [property: Id(2)] int? To,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string By);
