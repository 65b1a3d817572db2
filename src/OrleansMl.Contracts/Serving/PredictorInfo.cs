namespace OrleansMl.Serving;

/// <summary>A model version as loaded by the predictor of one silo.</summary>
/// <param name="Dimension">The feature-vector length a row needs.</param>
/// <param name="LoadMilliseconds">How long loading took (reading the artifact and building the scorer).</param>
[GenerateSerializer, Immutable, Alias("orleansml.PredictorInfo")]
public sealed record PredictorInfo(
    [property: Id(0)] string Model,
    [property: Id(1)] int Version,
    [property: Id(2)] string Flavor,
    [property: Id(3)] string Kind,
    [property: Id(4)] int Dimension,
    [property: Id(5)] int ScoreWidth,
    [property: Id(6)] double LoadMilliseconds,
    [property: Id(7)] string Silo);
