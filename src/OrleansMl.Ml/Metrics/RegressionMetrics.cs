using System.Numerics;

namespace OrleansMl.Ml.Metrics;

/// <summary>
/// Regression scores, accumulated in double. R² is 1 - SS_res / SS_tot; with constant truth it is 1 for
/// a perfect prediction and 0 otherwise (scikit-learn's force_finite).
/// </summary>
public sealed record RegressionMetrics(double Rmse, double Mae, double R2)
{
    public static RegressionMetrics Compute(ReadOnlySpan<float> truth, ReadOnlySpan<float> predicted) => Compute<float>(truth, predicted);

    public static RegressionMetrics Compute(ReadOnlySpan<double> truth, ReadOnlySpan<double> predicted) => Compute<double>(truth, predicted);

    private static RegressionMetrics Compute<T>(ReadOnlySpan<T> truth, ReadOnlySpan<T> predicted)
        where T : IFloatingPoint<T>
    {
        var rows = MetricInputs.Rows(truth.Length, predicted.Length, nameof(predicted));
        double sum = 0;
        for (var i = 0; i < rows; i++)
        {
            sum += double.CreateTruncating(truth[i]);
        }

        var mean = sum / rows;
        double squaredError = 0, absoluteError = 0, squaredDeviation = 0;
        for (var i = 0; i < rows; i++)
        {
            var actual = double.CreateTruncating(truth[i]);
            var error = actual - double.CreateTruncating(predicted[i]);
            squaredError += error * error;
            absoluteError += Math.Abs(error);
            squaredDeviation += (actual - mean) * (actual - mean);
        }

        var r2 = squaredDeviation > 0 ? 1 - (squaredError / squaredDeviation) : squaredError == 0 ? 1 : 0;
        return new RegressionMetrics(Math.Sqrt(squaredError / rows), absoluteError / rows, r2);
    }
}
