using OrleansMl.Ml.Linear;

namespace OrleansMl.Ml.Tests.Linear;

public sealed class LinearModelTests
{
    [Fact]
    public void AModelSurvivesItsBytesExactly()
    {
        var model = new LinearModel(LinearModelKind.MulticlassLogistic, 3, 4, LinearTestData.Weights(new Random(1), 16, 1));

        var copy = LinearModel.FromBytes(model.ToBytes());

        Assert.Equal(model, copy);
        Assert.Equal(model.Weights, copy.Weights);
        Assert.Equal(LinearModelKind.MulticlassLogistic, copy.Kind);
    }

    [Fact]
    public void BytesThatAreNotAModelAreRejected()
    {
        var bytes = new LinearModel(LinearModelKind.LinearRegression, 2, 0, [1, 2, 3]).ToBytes();

        Assert.Throws<InvalidDataException>(() => LinearModel.FromBytes(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Throws<InvalidDataException>(() => LinearModel.FromBytes(new byte[40]));
    }

    [Fact]
    public void AMulticlassModelPredictsTheMostProbableClass()
    {
        // Two features; class c scores feature c (class 2 scores the bias 0.5 only).
        var model = new LinearModel(LinearModelKind.MulticlassLogistic, 2, 3, [1, 0, 0, 0, 1, 0, 0, 0, 0.5]);
        float[] features = [2, 0, 0, 3, 0, 0];
        var labels = new long[3];
        var probabilities = new double[9];

        model.Predict(features, labels, probabilities);

        Assert.Equal([0L, 1L, 2L], labels);
        Assert.Equal(Math.Exp(2) / (Math.Exp(2) + 1 + Math.Exp(0.5)), probabilities[0], 1e-15);
    }

    [Fact]
    public void BinaryModelsPredictOneOverTheirThreshold()
    {
        float[] features = [-1, 0.5f, 3];
        var logistic = new LinearModel(LinearModelKind.BinaryLogistic, 1, 2, [1, -1]);
        var svm = new LinearModel(LinearModelKind.LinearSvm, 1, 2, [1, -1]);
        var labels = new long[3];
        var outputs = new double[3];

        logistic.Predict(features, labels, outputs);
        Assert.Equal([0L, 0L, 1L], labels);
        Assert.Equal(1 / (1 + Math.Exp(-2)), outputs[2], 1e-15);

        svm.Predict(features, labels, outputs);
        Assert.Equal([0L, 0L, 1L], labels);
        Assert.Equal([-2, -0.5, 2], outputs);
    }

    [Fact]
    public void ARegressionModelPredictsValuesNotClasses()
    {
        var model = new LinearModel(LinearModelKind.LinearRegression, 2, 0, [2, -1, 0.5]);
        var values = new double[2];

        model.Predict([1, 1, 0, 2], values);

        Assert.Equal([1.5, -1.5], values);
        Assert.Throws<InvalidOperationException>(() => model.Predict([1, 1], new long[1], new double[1]));
    }

    [Fact]
    public void WeightsThatDoNotFitTheShapeAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new LinearModel(LinearModelKind.MulticlassLogistic, 2, 3, new double[6]));
    }
}
