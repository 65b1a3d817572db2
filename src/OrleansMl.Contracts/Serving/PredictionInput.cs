namespace OrleansMl.Serving;

/// <summary>Rows to score: <see cref="Rows"/> feature vectors laid end to end in <see cref="Features"/>.</summary>
[GenerateSerializer, Immutable, Alias("orleansml.PredictionInput")]
public sealed record PredictionInput(
    [property: Id(0)] float[] Features,
    [property: Id(1)] int Rows);
