namespace OrleansMl.Serving;

/// <summary>
/// The predictions for a batch of rows, and the model version that made them.
/// </summary>
/// <param name="Kind">multiclass, binary or regression.</param>
/// <param name="Labels">The predicted class of each row; empty for regression.</param>
/// <param name="Scores">
/// <see cref="ScoreWidth"/> a row, row-major: class probabilities (multiclass), the probability of 1 or the
/// margin (binary), or the predicted value (regression).
/// </param>
/// <param name="Classes">The class values of <see cref="Labels"/> (index → value) when the version was trained through a pipeline; null otherwise.</param>
[GenerateSerializer, Immutable, Alias("orleansml.Prediction")]
public sealed record Prediction(
    [property: Id(0)] string Model,
    [property: Id(1)] int Version,
    [property: Id(2)] string Kind,
    [property: Id(3)] long[] Labels,
    [property: Id(4)] float[] Scores,
    [property: Id(5)] int ScoreWidth,
    [property: Id(6)] IReadOnlyList<string>? Classes = null);
