namespace OrleansMl.Bench.Serving;

/// <summary>The floor's answer, one prediction per record in request order: <c>{"predictions":[{"label":1,"scores":[0.93]}, ...]}</c>.</summary>
internal sealed record PredictResponse(IReadOnlyList<Prediction> Predictions);
