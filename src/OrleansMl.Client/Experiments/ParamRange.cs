namespace OrleansMl.Client;

/// <summary>
/// One hyperparameter's search space: <see cref="Values"/> to pick among, or a numeric range
/// [<see cref="Min"/>, <see cref="Max"/>] sampled uniformly (log-uniformly with <see cref="Log"/>,
/// rounded with <see cref="Integer"/>); grid search takes <see cref="GridPoints"/> points of a range (server default 3).
/// </summary>
public sealed record ParamRange(
    IReadOnlyList<string>? Values = null,
    double? Min = null,
    double? Max = null,
    bool? Log = null,
    bool? Integer = null,
    int? GridPoints = null);
