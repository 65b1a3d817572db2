using OrleansMl.Ml.Metrics;

namespace OrleansMl.Ml.Tests.Metrics;

public sealed class ClassificationMetricsTests
{
    [Fact]
    public void MatchesScikitLearnOnItsDocumentationExample()
    {
        // sklearn.metrics.f1_score docs: y_true = [0, 1, 2, 0, 1, 2], y_pred = [0, 2, 1, 0, 0, 1]
        // macro 0.2666…, micro 0.3333…; by hand: class 0 has tp 2, fp 1, fn 0 → F1 0.8; classes 1 and 2 have no tp.
        var metrics = ClassificationMetrics.Compute([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], [], 3);

        Assert.Equal(2.0 / 6, metrics.Accuracy, 12);
        Assert.Equal(0.8 / 3, metrics.MacroF1, 12);
        Assert.Equal(1.0 / 3, metrics.MicroF1, 12);
        Assert.Null(metrics.LogLoss);
        Assert.Equal([[2L, 0, 0], [1L, 0, 1], [0L, 2, 0]], metrics.ConfusionMatrix);
        Assert.Equal(new ClassMetrics(0, 2.0 / 3, 1, 0.8, 2), metrics.PerClass[0]);
        Assert.Equal(new ClassMetrics(1, 0, 0, 0, 2), metrics.PerClass[1]);
        Assert.Equal(new ClassMetrics(2, 0, 0, 0, 2), metrics.PerClass[2]);
    }

    [Fact]
    public void AnUnseenClassIsAlwaysWrongAndCountsAsAFalsePositiveOfThePrediction()
    {
        // As sklearn.metrics.f1_score(y_true=[0, 1, 2, 1], y_pred=[0, 1, 1, 0], labels=[0, 1], average="macro") with 2 a class the model
        // never had: class 0 tp 1, fp 1 → F1 2/3; class 1 tp 1, fp 1 (the unseen row), fn 1 → F1 1/2.
        long unseen = ClassificationMetrics.Unseen;
        var metrics = ClassificationMetrics.Compute([0, 1, unseen, 1], [0, 1, 1, 0], [0.9f, 0.1f, 0.2f, 0.8f, 0.3f, 0.7f, 0.6f, 0.4f], 2);

        Assert.Equal(0.5, metrics.Accuracy, 12);
        Assert.Equal(((2.0 / 3) + 0.5) / 2, metrics.MacroF1, 12);
        Assert.Equal([[1L, 0], [1L, 1]], metrics.ConfusionMatrix);
        Assert.Equal(2, metrics.PerClass[1].Support);
        Assert.Equal((-Math.Log(0.9) - Math.Log(0.8) - Math.Log(1e-15) - Math.Log(0.4)) / 4, metrics.LogLoss!.Value, 9);
    }

    [Fact]
    public void MacroF1AveragesOnlyClassesThatOccur()
    {
        // Class 3 is neither true nor predicted; as in scikit-learn it does not drag the mean down.
        var metrics = ClassificationMetrics.Compute([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], [], 4);

        Assert.Equal(0.8 / 3, metrics.MacroF1, 12);
        Assert.Equal(4, metrics.PerClass.Count);
    }

    [Fact]
    public void MacroF1OfAnUnevenExample()
    {
        // truth 0 0 0 0 1 1 2, predicted 0 0 1 2 1 1 2:
        // class 0: tp 2 fp 0 fn 2 → 4/6; class 1: tp 2 fp 1 fn 0 → 4/5; class 2: tp 1 fp 1 fn 0 → 2/3.
        var metrics = ClassificationMetrics.Compute([0, 0, 0, 0, 1, 1, 2], [0, 0, 1, 2, 1, 1, 2], [], 3);

        Assert.Equal(((4.0 / 6) + (4.0 / 5) + (2.0 / 3)) / 3, metrics.MacroF1, 12);
        Assert.Equal(5.0 / 7, metrics.Accuracy, 12);
        Assert.Equal(5.0 / 7, metrics.MicroF1, 12);
        Assert.Equal(2.0 / 3, metrics.PerClass[1].Precision, 12);
        Assert.Equal(0.5, metrics.PerClass[0].Recall, 12);
    }

    [Fact]
    public void LogLossMatchesScikitLearn()
    {
        // sklearn.metrics.log_loss docs: ["spam", "ham", "ham", "spam"] with [[.1, .9], [.9, .1], [.8, .2], [.35, .65]] → 0.21616…
        var metrics = ClassificationMetrics.Compute([1, 0, 0, 1], [1, 0, 0, 1], [.1f, .9f, .9f, .1f, .8f, .2f, .35f, .65f], 2);

        Assert.Equal(0.21616187468057912, metrics.LogLoss!.Value, 6);
    }

    [Fact]
    public void LogLossClipsAZeroProbability()
    {
        var metrics = ClassificationMetrics.Compute([0], [1], [0f, 1f], 2);

        Assert.Equal(-Math.Log(1e-15), metrics.LogLoss!.Value, 9);
    }

    [Fact]
    public void BadInputsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([0, 1], [0], [], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassificationMetrics.Compute([0, 2], [0, 1], [], 2));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([0, 1], [0, 1], [1f, 0f], 2));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([], [], [], 2));
    }
}
