using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansMl.Client;

/// <summary>The prediction for one row.</summary>
/// <param name="Label">
/// The predicted class (classifiers): its index for models trained on vectors; its value, in the
/// label's own type (text, number, true/false), for models trained through fitted steps.
/// </param>
/// <param name="Scores">Class probabilities (multiclass; k-NN vote shares), or <c>[p(1)]</c> / the margin (binary); NaN where the model gave no number.</param>
/// <param name="Prediction">The predicted value (regression).</param>
/// <param name="Class">Models with fitted steps: the index of the predicted class.</param>
/// <param name="Probabilities">Models with fitted steps: the probability of each class, by class value.</param>
public sealed record RowPrediction(
    JsonElement? Label,
    [property: JsonConverter(typeof(NullAsNaNSingleArrayConverter))] float[]? Scores,
    float? Prediction,
    long? Class = null,
    IReadOnlyDictionary<string, float?>? Probabilities = null)
{
    /// <summary>The predicted class's index: <see cref="Class"/>, or the label of a model trained on vectors.</summary>
    [JsonIgnore]
    public long? ClassIndex => Class ?? (Label is { ValueKind: JsonValueKind.Number } number ? number.GetInt64() : null);

    /// <summary>The predicted class as text (<c>"rain"</c>, <c>"7"</c>), or null for regression.</summary>
    [JsonIgnore]
    public string? LabelText => Label switch
    {
        { ValueKind: JsonValueKind.String } text => text.GetString(),
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } or null => null,
        { } other => other.GetRawText(),
    };
}
