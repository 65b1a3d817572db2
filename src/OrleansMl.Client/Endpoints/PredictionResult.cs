namespace OrleansMl.Client;

/// <summary>The answer of <c>POST /v1/endpoints/{name}/predict</c>: one prediction a row, and the model version that made them.</summary>
public sealed record PredictionResult(string Endpoint, string Model, int Version, IReadOnlyList<RowPrediction> Predictions);
