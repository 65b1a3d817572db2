namespace OrleansMl.Linear;

/// <summary>Asks a partition for the loss and gradient of its rows at <see cref="Weights"/>.</summary>
/// <param name="Kind">multiclass_logistic, binary_logistic, linear_regression or linear_svm.</param>
[GenerateSerializer, Immutable, Alias("orleansml.LinearGradientRequest")]
public sealed record LinearGradientRequest(
    [property: Id(0)] string FeatureColumn,
    [property: Id(1)] string LabelColumn,
    [property: Id(2)] string Kind,
    [property: Id(3)] int Classes,
    [property: Id(4)] double[] Weights);
