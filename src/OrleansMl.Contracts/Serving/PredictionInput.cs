namespace OrleansMl.Serving;

/// <summary>
/// Rows to score: <see cref="Rows"/> feature vectors laid end to end in <see cref="Features"/>, or,
/// for a version with a pipeline, the raw columns in <see cref="Columns"/> (then <see cref="Features"/> is empty).
/// </summary>
[GenerateSerializer, Immutable, Alias("orleansml.PredictionInput")]
public sealed record PredictionInput(
    [property: Id(0)] float[] Features,
    [property: Id(1)] int Rows,
    [property: Id(2)] IReadOnlyList<RecordColumn>? Columns = null);
