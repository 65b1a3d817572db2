using OrleansMl.Ml.Linear;

namespace OrleansMl.Ml.Tests.Linear;

public sealed class LinearObjectiveTests
{
    public static TheoryData<LinearModelKind, int> Kinds => new()
    {
        { LinearModelKind.MulticlassLogistic, 3 },
        { LinearModelKind.MulticlassLogistic, 10 },
        { LinearModelKind.BinaryLogistic, 2 },
        { LinearModelKind.LinearRegression, 0 },
        { LinearModelKind.LinearSvm, 2 },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TheGradientMatchesCentralFiniteDifferences(LinearModelKind kind, int classes)
    {
        var objective = LinearObjective.Create(kind, classes);
        var random = new Random(42 + (int)kind + classes);
        // 19 features pad to 20: every kernel's 16-, 8- and 4-wide column paths run.
        const int Dimension = 19;
        const int Rows = 40;
        var features = LinearTestData.Uniform(random, Rows * Dimension, -1, 1);
        var labels = LinearTestData.Labels(random, objective, Rows);
        var weights = LinearTestData.Weights(random, objective.WeightCount(Dimension), 0.5);
        var gradient = new double[weights.Length];

        objective.AddLossAndGradient(features, Dimension, labels, weights, gradient);

        const double H = 1e-6;
        var scratch = new double[weights.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            var saved = weights[i];
            weights[i] = saved + H;
            var up = objective.AddLossAndGradient(features, Dimension, labels, weights, scratch);
            weights[i] = saved - H;
            var down = objective.AddLossAndGradient(features, Dimension, labels, weights, scratch);
            weights[i] = saved;
            var numeric = (up - down) / (2 * H);
            Assert.True(Math.Abs(numeric - gradient[i]) <= 1e-6 * Math.Max(1, Math.Abs(numeric)), $"Weight {i}: analytic {gradient[i]}, numeric {numeric}.");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ThreePartsSummedEqualOneCallOverAllRows(LinearModelKind kind, int classes)
    {
        var objective = LinearObjective.Create(kind, classes);
        var random = new Random(7);
        const int Dimension = 13;
        const int Rows = 700;
        var features = LinearTestData.Uniform(random, Rows * Dimension, 0, 1);
        var labels = LinearTestData.Labels(random, objective, Rows);
        var weights = LinearTestData.Weights(random, objective.WeightCount(Dimension), 0.3);
        var whole = new double[weights.Length];
        var parts = new double[weights.Length];

        var wholeLoss = objective.AddLossAndGradient(features, Dimension, labels, weights, whole);
        var partsLoss = await LinearTestData.Partitioned(objective, features, Dimension, labels, 0, 137, 301)(weights, parts, default);

        Assert.Equal(wholeLoss, partsLoss, 1e-9 * Math.Abs(wholeLoss));
        var scale = whole.Max(Math.Abs);
        for (var i = 0; i < whole.Length; i++)
        {
            Assert.Equal(whole[i], parts[i], 1e-9 * scale);
        }
    }

    [Fact]
    public void TheLossAndGradientAddOntoWhatTheGradientHolds()
    {
        var objective = LinearObjective.MulticlassLogistic(4);
        var random = new Random(3);
        var features = LinearTestData.Uniform(random, 30 * 5, 0, 1);
        var labels = LinearTestData.Labels(random, objective, 30);
        var weights = LinearTestData.Weights(random, objective.WeightCount(5), 1);
        var once = new double[weights.Length];
        var twice = new double[weights.Length];

        var loss = objective.AddLossAndGradient(features, 5, labels, weights, once);
        objective.AddLossAndGradient(features, 5, labels, weights, twice);
        var again = objective.AddLossAndGradient(features, 5, labels, weights, twice);

        Assert.Equal(loss, again);
        Assert.Equal(once.Select(g => 2 * g), twice);
    }

    [Fact]
    public void LongLabelsGiveTheSameResultAsDoubleLabels()
    {
        var objective = LinearObjective.MulticlassLogistic(5);
        var random = new Random(11);
        var features = LinearTestData.Uniform(random, 90 * 6, 0, 1);
        var labels = LinearTestData.Labels(random, objective, 90);
        var weights = LinearTestData.Weights(random, objective.WeightCount(6), 1);
        var fromDouble = new double[weights.Length];
        var fromLong = new double[weights.Length];

        var a = objective.AddLossAndGradient(features, 6, labels, weights, fromDouble);
        var b = objective.AddLossAndGradient(features, 6, labels.Select(l => (long)l).ToArray(), weights, fromLong);

        Assert.Equal(a, b);
        Assert.Equal(fromDouble, fromLong);
    }

    [Theory]
    [InlineData(1, 1, 5)]
    [InlineData(3, 2, 300)]
    [InlineData(8, 3, 9)]
    [InlineData(13, 5, 1000)]
    [InlineData(9, 10, 4)]
    public void ScoresMatchAPlainDotProductPlusBias(int dimension, int classes, int rows)
    {
        var objective = classes == 1 ? LinearObjective.LinearRegression : LinearObjective.MulticlassLogistic(classes);
        var random = new Random(dimension * 100 + classes);
        var features = LinearTestData.Uniform(random, rows * dimension, -2, 2);
        var weights = LinearTestData.Weights(random, objective.WeightCount(dimension), 1);
        var scores = new double[rows * objective.Outputs];

        objective.Scores(features, dimension, weights, scores);

        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < objective.Outputs; c++)
            {
                var expected = weights[LinearObjective.WeightIndex(dimension, c, dimension)];
                for (var j = 0; j < dimension; j++)
                {
                    expected += features[(r * dimension) + j] * weights[LinearObjective.WeightIndex(dimension, c, j)];
                }

                Assert.Equal(expected, scores[(r * objective.Outputs) + c], 1e-12 * Math.Max(1, Math.Abs(expected)));
            }
        }
    }

    [Fact]
    public void TheLossesAreTheTextbookFormulas()
    {
        float[] features = [1, -2];
        double[] weights = [0.5, 0.25];

        // One feature: the row x = 1 scores 1·0.5 + 0.25 = 0.75, the row x = −2 scores −0.75; the softmax classes score 0.5 and 0.25.
        var logistic = LinearObjective.BinaryLogistic.AddLossAndGradient(features[..1], 1, [1.0], weights, new double[2]);
        var regression = LinearObjective.LinearRegression.AddLossAndGradient(features[..1], 1, [2.0], weights, new double[2]);
        var svm = LinearObjective.LinearSvm.AddLossAndGradient(features, 1, [1.0, 0.0], weights, new double[2]);
        var softmax = LinearObjective.MulticlassLogistic(2).AddLossAndGradient(features[..1], 1, [1.0], [0.5, 0.0, 0.25, 0.0], new double[4]);

        Assert.Equal(Math.Log(1 + Math.Exp(-0.75)), logistic, 1e-15);
        Assert.Equal(0.5 * 1.25 * 1.25, regression, 1e-15);
        Assert.Equal(2 * 0.25 * 0.25, svm, 1e-15);
        Assert.Equal(Math.Log(Math.Exp(0.5) + Math.Exp(0.25)) - 0.25, softmax, 1e-15);
    }

    [Fact]
    public void PredictGivesProbabilitiesForLogisticModels()
    {
        var random = new Random(5);
        var features = LinearTestData.Uniform(random, 50 * 4, -1, 1);
        var multiclass = LinearObjective.MulticlassLogistic(3);
        var probabilities = new double[50 * 3];
        var odds = new double[50];
        var binaryWeights = LinearTestData.Weights(random, 5, 2);
        var binaryScores = new double[50];

        multiclass.Predict(features, 4, LinearTestData.Weights(random, multiclass.WeightCount(4), 2), probabilities);
        LinearObjective.BinaryLogistic.Predict(features, 4, binaryWeights, odds);
        LinearObjective.BinaryLogistic.Scores(features, 4, binaryWeights, binaryScores);

        for (var r = 0; r < 50; r++)
        {
            Assert.Equal(1, probabilities.AsSpan(r * 3, 3).ToArray().Sum(), 1e-12);
            Assert.Equal(1 / (1 + Math.Exp(-binaryScores[r])), odds[r], 1e-15);
        }
    }

    [Fact]
    public void ALabelOutsideTheClassesIsRejectedNamingItsRow()
    {
        var objective = LinearObjective.MulticlassLogistic(3);
        var labels = new double[8];
        labels[5] = 3;

        var error = Assert.Throws<ArgumentException>(() => objective.AddLossAndGradient(new float[16], 2, labels, new double[9], new double[9]));

        Assert.Contains("Row 5", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LinearModelKind.BinaryLogistic)]
    [InlineData(LinearModelKind.LinearSvm)]
    public void ABinaryLabelOtherThanZeroOrOneIsRejected(LinearModelKind kind)
    {
        var error = Assert.Throws<ArgumentException>(() => LinearObjective.Create(kind, 2).AddLossAndGradient(new float[4], 2, [0.0, -1.0], new double[3], new double[3]));

        Assert.Contains("Row 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WeightsOfTheWrongLengthAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => LinearObjective.MulticlassLogistic(3).AddLossAndGradient(new float[4], 2, [0.0, 1.0], new double[6], new double[6]));

        Assert.Equal("weights", error.ParamName);
    }

    [Fact]
    public void AClassCountThatDoesNotSuitTheKindIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LinearObjective.Create(LinearModelKind.BinaryLogistic, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => LinearObjective.Create(LinearModelKind.MulticlassLogistic, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LinearObjective.Create(LinearModelKind.LinearRegression, 2));
    }
}
