using OrleansMl.Ml.Linear;

namespace OrleansMl.Ml.Tests.Linear;

/// <summary>Data-parallel training end to end: partition sums added in order, L2, L-BFGS.</summary>
public sealed class LinearTrainingTests
{
    [Fact]
    public async Task MulticlassLogisticRegressionSeparatesThreeGaussianBlobs()
    {
        var random = new Random(42);
        var (features, labels) = LinearTestData.Blobs(random, 3, 4, 300, 3, 1);
        var (testFeatures, testLabels) = LinearTestData.Blobs(new Random(42), 3, 4, 100, 3, 1);
        var objective = LinearObjective.MulticlassLogistic(3);

        var result = await Lbfgs.MinimizeAsync(
            LinearTestData.Partitioned(objective, features, 4, labels, 1e-2, 250, 600),
            new double[objective.WeightCount(4)],
            new LbfgsOptions());
        var model = new LinearModel(LinearModelKind.MulticlassLogistic, 4, 3, result.X);

        Assert.True(result.Converged, $"Stopped by {result.StopReason} after {result.Iterations} iterations.");
        Assert.True(LinearTestData.Accuracy(model, features, labels) > 0.95);
        Assert.True(LinearTestData.Accuracy(model, testFeatures, testLabels) > 0.95);
    }

    [Fact]
    public async Task BinaryLogisticRegressionClassifiesSeparableDataPerfectly()
    {
        var random = new Random(7);
        const int Dimension = 5;
        var truth = LinearTestData.Weights(random, Dimension + 1, 1);
        var features = new List<float>();
        var labels = new List<double>();
        while (labels.Count < 400)
        {
            var row = LinearTestData.Uniform(random, Dimension, -1, 1);
            var score = truth[Dimension] * 0.1;
            for (var j = 0; j < Dimension; j++)
            {
                score += truth[j] * row[j];
            }

            if (Math.Abs(score) > 0.1)
            {
                features.AddRange(row);
                labels.Add(score > 0 ? 1 : 0);
            }
        }

        var result = await Lbfgs.MinimizeAsync(
            LinearTestData.Partitioned(LinearObjective.BinaryLogistic, [.. features], Dimension, [.. labels], 1e-4, 133),
            new double[Dimension + 1],
            new LbfgsOptions { MaxIterations = 200 });
        var model = new LinearModel(LinearModelKind.BinaryLogistic, Dimension, 2, result.X);

        Assert.Equal(1.0, LinearTestData.Accuracy(model, [.. features], [.. labels]));
    }

    [Fact]
    public async Task LinearRegressionRecoversTheWeightsThatMadeTheData()
    {
        var random = new Random(11);
        const int Dimension = 6;
        const int Rows = 500;
        var truth = LinearTestData.Weights(random, Dimension + 1, 2);
        var features = new float[Rows * Dimension];
        var labels = new double[Rows];
        for (var r = 0; r < Rows; r++)
        {
            labels[r] = truth[Dimension] + (1e-3 * LinearTestData.Gaussian(random));
            for (var j = 0; j < Dimension; j++)
            {
                features[(r * Dimension) + j] = (float)LinearTestData.Gaussian(random);
                labels[r] += truth[j] * features[(r * Dimension) + j];
            }
        }

        var result = await Lbfgs.MinimizeAsync(
            LinearTestData.Partitioned(LinearObjective.LinearRegression, features, Dimension, labels, 0, 100, 260, 420),
            new double[Dimension + 1],
            new LbfgsOptions { GradientTolerance = 1e-12, FunctionTolerance = 1e-15 });

        for (var i = 0; i <= Dimension; i++)
        {
            Assert.Equal(truth[i], result.X[i], 1e-3);
        }
    }

    [Fact]
    public async Task ALinearSvmSeparatesTwoBlobs()
    {
        var (features, labels) = LinearTestData.Blobs(new Random(5), 2, 3, 200, 3, 0.5);

        var result = await Lbfgs.MinimizeAsync(
            LinearTestData.Partitioned(LinearObjective.LinearSvm, features, 3, labels, 1e-3, 150),
            new double[4],
            new LbfgsOptions());
        var model = new LinearModel(LinearModelKind.LinearSvm, 3, 2, result.X);

        Assert.True(LinearTestData.Accuracy(model, features, labels) > 0.95);
    }
}
