namespace OrleansMl.Ml.Metrics;

/// <summary>
/// Binary classification scores. A row is predicted positive when its score is above the threshold.
/// AUC is exact: the Mann–Whitney statistic with tied scores given their average rank (so a tie
/// between a positive and a negative counts one half), as scikit-learn's roc_auc_score.
/// </summary>
/// <param name="Auc">Null when the truth has only one class.</param>
/// <param name="LogLoss">Null when a score is outside [0, 1] (scores are not probabilities); p(true class) is clipped to [1e-15, 1].</param>
public sealed record BinaryMetrics(
    double Accuracy,
    double Precision,
    double Recall,
    double F1,
    double? Auc,
    double? LogLoss,
    long TruePositives,
    long FalsePositives,
    long TrueNegatives,
    long FalseNegatives)
{
    public static BinaryMetrics Compute(ReadOnlySpan<bool> truth, ReadOnlySpan<float> scores, float threshold = 0.5f)
    {
        var rows = MetricInputs.Rows(truth.Length, scores.Length, nameof(scores));
        var positive = new bool[rows];
        truth.CopyTo(positive);
        return Compute(positive, scores, threshold);
    }

    /// <param name="truth">
    /// 0 (negative) or 1 (positive) per row, or <see cref="ClassificationMetrics.Unseen"/> for a class the
    /// model was never trained on: such a row is wrong in the accuracy and left out of the other scores.
    /// </param>
    public static BinaryMetrics Compute(ReadOnlySpan<long> truth, ReadOnlySpan<float> scores, float threshold = 0.5f)
    {
        var rows = MetricInputs.Rows(truth.Length, scores.Length, nameof(scores));
        var positive = new List<bool>(rows);
        var known = new List<float>(rows);
        for (var i = 0; i < rows; i++)
        {
            if (truth[i] == ClassificationMetrics.Unseen)
            {
                continue;
            }

            positive.Add(truth[i] switch
            {
                0 => false,
                1 => true,
                _ => throw new ArgumentOutOfRangeException(nameof(truth), truth[i], $"Row {i} has class {truth[i]}; binary truth is 0 or 1."),
            });
            known.Add(scores[i]);
        }

        var metrics = Compute([.. positive], known.Count == rows ? scores : [.. known], threshold);
        return known.Count == rows ? metrics : metrics with { Accuracy = (double)(metrics.TruePositives + metrics.TrueNegatives) / rows };
    }

    private static BinaryMetrics Compute(bool[] positive, ReadOnlySpan<float> scores, float threshold)
    {
        long truePositives = 0, falsePositives = 0, trueNegatives = 0, falseNegatives = 0;
        double loss = 0;
        var probabilities = true;
        for (var i = 0; i < positive.Length; i++)
        {
            var score = scores[i];
            if (float.IsNaN(score))
            {
                throw new ArgumentException($"Row {i} has a NaN score.", nameof(scores));
            }

            var predicted = score > threshold;
            truePositives += positive[i] && predicted ? 1 : 0;
            falsePositives += !positive[i] && predicted ? 1 : 0;
            trueNegatives += !positive[i] && !predicted ? 1 : 0;
            falseNegatives += positive[i] && !predicted ? 1 : 0;
            probabilities &= score is >= 0 and <= 1;
            loss += MetricInputs.Loss(positive[i] ? score : 1.0 - score);
        }

        return new BinaryMetrics(
            (double)(truePositives + trueNegatives) / positive.Length,
            MetricInputs.Ratio(truePositives, truePositives + falsePositives),
            MetricInputs.Ratio(truePositives, truePositives + falseNegatives),
            MetricInputs.F1(truePositives, falsePositives, falseNegatives),
            AreaUnderCurve(positive, scores),
            probabilities ? loss / positive.Length : null,
            truePositives,
            falsePositives,
            trueNegatives,
            falseNegatives);
    }

    /// <summary>(sum of the positives' ranks - P(P+1)/2) / (P·N), ranks 1-based by ascending score, ties sharing their average rank.</summary>
    private static double? AreaUnderCurve(bool[] positive, ReadOnlySpan<float> scores)
    {
        var keys = scores.ToArray();
        var labels = (bool[])positive.Clone();
        Array.Sort(keys, labels);
        double positiveRanks = 0;
        long positives = 0;
        for (var start = 0; start < keys.Length;)
        {
            var end = start;
            long groupPositives = 0;
            for (; end < keys.Length && keys[end] == keys[start]; end++)
            {
                groupPositives += labels[end] ? 1 : 0;
            }

            // Ranks start + 1 .. end share their mean.
            positiveRanks += groupPositives * ((start + 1 + end) / 2.0);
            positives += groupPositives;
            start = end;
        }

        var negatives = keys.Length - positives;
        return positives == 0 || negatives == 0 ? null : (positiveRanks - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }
}
