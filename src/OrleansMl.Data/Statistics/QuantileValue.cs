namespace OrleansMl.Data.Statistics;

/// <summary>The estimated value below which <paramref name="Probability"/> of a column's values lie.</summary>
public sealed record QuantileValue(double Probability, double Value);
