namespace OrleansMl.Ml.Linear;

/// <summary>The loss a linear model is trained with, and so what its scores mean.</summary>
public enum LinearModelKind
{
    /// <summary>Softmax cross-entropy over <c>C</c> classes; labels 0..C-1; one score a class.</summary>
    MulticlassLogistic = 0,

    /// <summary>Logistic loss; labels 0 or 1; one score, the log-odds of 1.</summary>
    BinaryLogistic = 1,

    /// <summary>Squared loss ½(ŷ − y)²; any finite label; one score, the prediction.</summary>
    LinearRegression = 2,

    /// <summary>Squared hinge max(0, 1 − t·ŷ)² with t = −1 for label 0 and +1 for label 1; one score, the margin.</summary>
    LinearSvm = 3,
}
