namespace OrleansMl.Ml.Metrics;

/// <summary>One class's scores. Precision (recall) is 0 when the class is never predicted (never true), as in scikit-learn.</summary>
/// <param name="Support">How many rows truly are of the class.</param>
public sealed record ClassMetrics(int Class, double Precision, double Recall, double F1, long Support);
