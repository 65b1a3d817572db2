namespace OrleansMl.Ml.Metrics;

/// <summary>
/// Multi-class classification scores, computed as scikit-learn does: macro-F1 is the mean F1 of the
/// classes that occur in the truth or the predictions; micro-F1 pools every class's counts (for
/// single-label data it equals accuracy); log loss is the mean of -ln p(true class), p clipped to [1e-15, 1].
/// A true class of <see cref="Unseen"/> (a class the model was never trained on) is always wrong: it
/// counts in accuracy's denominator, as a false positive of the predicted class and with p = 0 in the log
/// loss, but in no class's support; it has no row or column in the confusion matrix.
/// </summary>
/// <param name="LogLoss">Null when no probabilities were given.</param>
/// <param name="ConfusionMatrix">[true class][predicted class] counts.</param>
/// <param name="PerClass">Every class in [0, classes), in order.</param>
public sealed record ClassificationMetrics(
    double Accuracy,
    double MacroF1,
    double MicroF1,
    double? LogLoss,
    long[][] ConfusionMatrix,
    IReadOnlyList<ClassMetrics> PerClass)
{
    /// <summary>The true class of a row whose class the model does not know.</summary>
    public const long Unseen = -1;

    /// <summary>Scores predictions of class numbers in [0, <paramref name="classes"/>); a true class may also be <see cref="Unseen"/>.</summary>
    /// <param name="probabilities">Empty, or row-major n × <paramref name="classes"/> class probabilities.</param>
    public static ClassificationMetrics Compute(ReadOnlySpan<long> truth, ReadOnlySpan<long> predicted, ReadOnlySpan<float> probabilities, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        var rows = MetricInputs.Rows(truth.Length, predicted.Length, nameof(predicted));
        if (!probabilities.IsEmpty && probabilities.Length != (long)rows * classes)
        {
            throw new ArgumentException($"The probabilities hold {probabilities.Length} values; {rows} rows × {classes} classes need {(long)rows * classes}.", nameof(probabilities));
        }

        var confusion = new long[classes][];
        for (var c = 0; c < classes; c++)
        {
            confusion[c] = new long[classes];
        }

        long correct = 0;
        double loss = 0;
        var unseenAs = new long[classes];
        for (var i = 0; i < rows; i++)
        {
            var guess = Class(predicted[i], classes, i, nameof(predicted));
            if (truth[i] == Unseen)
            {
                unseenAs[guess]++;
                loss += probabilities.IsEmpty ? 0 : MetricInputs.Loss(0);
                continue;
            }

            var actual = Class(truth[i], classes, i, nameof(truth));
            confusion[actual][guess]++;
            correct += actual == guess ? 1 : 0;
            if (!probabilities.IsEmpty)
            {
                loss += MetricInputs.Loss(probabilities[(i * classes) + actual]);
            }
        }

        var perClass = new ClassMetrics[classes];
        double f1Sum = 0;
        var present = 0;
        long pooledTruePositives = 0;
        long pooledFalsePositives = 0;
        long pooledFalseNegatives = 0;
        for (var c = 0; c < classes; c++)
        {
            long support = 0;
            var predictedAs = unseenAs[c];
            for (var other = 0; other < classes; other++)
            {
                support += confusion[c][other];
                predictedAs += confusion[other][c];
            }

            var truePositives = confusion[c][c];
            var falsePositives = predictedAs - truePositives;
            var falseNegatives = support - truePositives;
            var f1 = MetricInputs.F1(truePositives, falsePositives, falseNegatives);
            perClass[c] = new ClassMetrics(c, MetricInputs.Ratio(truePositives, predictedAs), MetricInputs.Ratio(truePositives, support), f1, support);
            if (support > 0 || predictedAs > 0)
            {
                f1Sum += f1;
                present++;
            }

            pooledTruePositives += truePositives;
            pooledFalsePositives += falsePositives;
            pooledFalseNegatives += falseNegatives;
        }

        return new ClassificationMetrics(
            (double)correct / rows,
            f1Sum / present,
            MetricInputs.F1(pooledTruePositives, pooledFalsePositives, pooledFalseNegatives),
            probabilities.IsEmpty ? null : loss / rows,
            confusion,
            perClass);
    }

    private static int Class(long value, int classes, int row, string name) => (ulong)value < (ulong)classes
        ? (int)value
        : throw new ArgumentOutOfRangeException(name, value, $"Row {row} has class {value}, outside [0, {classes}).");
}
