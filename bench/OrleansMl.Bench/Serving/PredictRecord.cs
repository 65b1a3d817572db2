namespace OrleansMl.Bench.Serving;

/// <summary>One row to score: its feature vector.</summary>
internal sealed record PredictRecord(float[] Features);
