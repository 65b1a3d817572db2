namespace OrleansMl.Linear;

/// <summary>A partition's unregularised loss sum and gradient sum over its rows, and how many rows that was.</summary>
[GenerateSerializer, Immutable, Alias("orleansml.LinearGradient")]
public sealed record LinearGradient(
    [property: Id(0)] double Loss,
    [property: Id(1)] double[] Gradient,
    [property: Id(2)] long Rows);
