using System.Text.Json.Serialization;

namespace OrleansMl.Client;

/// <summary>The prediction for one row.</summary>
/// <param name="Label">The predicted class (classifiers).</param>
/// <param name="Scores">Class probabilities (multiclass; k-NN vote shares), or <c>[p(1)]</c> / the margin (binary); NaN where the model gave no number.</param>
/// <param name="Prediction">The predicted value (regression).</param>
public sealed record RowPrediction(
    long? Label,
    [property: JsonConverter(typeof(NullAsNaNSingleArrayConverter))] float[]? Scores,
    float? Prediction);
