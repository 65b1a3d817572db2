namespace OrleansMl.Bench.Serving;

/// <summary>One row's prediction: the class, and P(1) for a binary model or the per-class scores for a multiclass one.</summary>
internal sealed record Prediction(long Label, float[] Scores);
