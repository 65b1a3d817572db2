namespace OrleansMl.Experiments;

/// <summary>
/// One hyperparameter's search space: either <see cref="Values"/> (grid and random pick among them)
/// or a numeric range [<see cref="Min"/>, <see cref="Max"/>] sampled uniformly, or log-uniformly when
/// <see cref="Log"/>; <see cref="Integer"/> rounds to whole numbers. Grid search over a range takes
/// <see cref="GridPoints"/> evenly spaced points (default 3).
/// </summary>
[GenerateSerializer, Immutable, Alias("orleansml.ParamRange")]
public sealed record ParamRange(
    [property: Id(0)] IReadOnlyList<string>? Values = null,
    [property: Id(1)] double? Min = null,
    [property: Id(2)] double? Max = null,
    [property: Id(3)] bool Log = false,
    [property: Id(4)] bool Integer = false,
    [property: Id(5)] int GridPoints = 3);
