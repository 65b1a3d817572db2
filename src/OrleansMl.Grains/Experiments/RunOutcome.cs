namespace OrleansMl.Experiments;

/// <summary>What a trainer produced: held-out metrics and artifact paths by name.</summary>
public sealed record RunOutcome(IReadOnlyDictionary<string, double> Metrics, IReadOnlyDictionary<string, string> Artifacts);
