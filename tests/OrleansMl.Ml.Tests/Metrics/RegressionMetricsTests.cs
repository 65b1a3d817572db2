using OrleansMl.Ml.Metrics;

namespace OrleansMl.Ml.Tests.Metrics;

public sealed class RegressionMetricsTests
{
    [Fact]
    public void MatchesScikitLearnDocumentationExample()
    {
        // sklearn docs: y_true = [3, -0.5, 2, 7], y_pred = [2.5, 0.0, 2, 8] → MSE 0.375, MAE 0.5, R² 0.9486081370449679.
        var metrics = RegressionMetrics.Compute([3f, -0.5f, 2f, 7f], [2.5f, 0f, 2f, 8f]);

        Assert.Equal(Math.Sqrt(0.375), metrics.Rmse, 12);
        Assert.Equal(0.5, metrics.Mae, 12);
        Assert.Equal(0.9486081370449679, metrics.R2, 12);
    }

    [Fact]
    public void ConstantTruthGivesROneOrZero()
    {
        Assert.Equal(1, RegressionMetrics.Compute([2.0, 2.0], [2.0, 2.0]).R2);
        Assert.Equal(0, RegressionMetrics.Compute([2.0, 2.0], [2.0, 3.0]).R2);
    }

    [Fact]
    public void MismatchedLengthsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => RegressionMetrics.Compute([1f], [1f, 2f]));
    }
}
