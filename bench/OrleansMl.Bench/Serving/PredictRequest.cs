namespace OrleansMl.Bench.Serving;

/// <summary>The floor's request body: <c>{"records":[{"features":[...]}, ...]}</c>.</summary>
internal sealed record PredictRequest(IReadOnlyList<PredictRecord> Records);
