namespace OrleansMl.Client;

/// <summary>One line of a run's metric history: the step (iteration, round) and the metrics at it.</summary>
public sealed record MetricStep(long Step, IReadOnlyDictionary<string, double> Values);
