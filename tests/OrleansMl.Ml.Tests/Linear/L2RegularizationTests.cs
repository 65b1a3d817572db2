using OrleansMl.Ml.Linear;

namespace OrleansMl.Ml.Tests.Linear;

public sealed class L2RegularizationTests
{
    [Fact]
    public void ThePenaltyCoversTheFeatureWeightsButNotTheBiases()
    {
        // Two outputs over two features: [w00, w01, b0, w10, w11, b1].
        double[] weights = [1, 2, 100, -3, 4, -100];
        double[] gradient = [1, 1, 1, 1, 1, 1];

        var value = L2Regularization.Add(10, weights, 2, 0.5, gradient);

        Assert.Equal(10 + (0.25 * (1 + 4 + 9 + 16)), value);
        Assert.Equal([1.5, 2, 1, -0.5, 3, 1], gradient);
    }

    [Fact]
    public void ANegativeStrengthIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => L2Regularization.Add(0, new double[3], 2, -1, new double[3]));
    }
}
