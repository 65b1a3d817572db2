namespace OrleansMl.Ml.Metrics;

/// <summary>Argument checks and helpers the metrics share.</summary>
internal static class MetricInputs
{
    /// <summary>The probability floor of log loss (scikit-learn's clip).</summary>
    public const double ProbabilityFloor = 1e-15;

    public static int Rows(int truth, int predicted, string predictedName)
    {
        if (truth != predicted)
        {
            throw new ArgumentException($"There are {truth} true values but {predicted} {predictedName}.", predictedName);
        }

        return truth > 0 ? truth : throw new ArgumentException("Metrics need at least one row.", nameof(truth));
    }

    /// <summary>-ln of the probability given to the truth, clipped to [1e-15, 1].</summary>
    public static double Loss(double probabilityOfTruth) => -Math.Log(Math.Clamp(probabilityOfTruth, ProbabilityFloor, 1.0));

    /// <summary>2tp / (2tp + fp + fn) (the harmonic mean of precision and recall), 0 when all are 0.</summary>
    public static double F1(long truePositives, long falsePositives, long falseNegatives) =>
        Ratio(2 * truePositives, (2 * truePositives) + falsePositives + falseNegatives);

    /// <summary>a / b, 0 when b is 0.</summary>
    public static double Ratio(long a, long b) => b > 0 ? (double)a / b : 0;
}
