using OrleansMl.Ml.Linear;

namespace OrleansMl.Linear;

/// <summary>The API names of the linear model kinds.</summary>
public static class LinearObjectives
{
    public static LinearObjective Create(string kind, int classes) => kind switch
    {
        "multiclass_logistic" => LinearObjective.MulticlassLogistic(classes),
        "binary_logistic" => LinearObjective.BinaryLogistic,
        "linear_regression" => LinearObjective.LinearRegression,
        "linear_svm" => LinearObjective.LinearSvm,
        _ => throw new ArgumentException($"Unknown linear model '{kind}'. Kinds: multiclass_logistic, binary_logistic, linear_regression, linear_svm."),
    };
}
