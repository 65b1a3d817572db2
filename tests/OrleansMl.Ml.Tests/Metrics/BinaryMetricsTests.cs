using OrleansMl.Ml.Metrics;

namespace OrleansMl.Ml.Tests.Metrics;

public sealed class BinaryMetricsTests
{
    [Fact]
    public void MatchesScikitLearnRocAucExample()
    {
        // sklearn.metrics.roc_auc_score: y = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8] → 0.75.
        var metrics = BinaryMetrics.Compute([0L, 0, 1, 1], [0.1f, 0.4f, 0.35f, 0.8f]);

        Assert.Equal(0.75, metrics.Auc!.Value, 12);

        // Above 0.5: only 0.8 → tp 1, fn 1, tn 2, fp 0.
        Assert.Equal((1L, 0L, 2L, 1L), (metrics.TruePositives, metrics.FalsePositives, metrics.TrueNegatives, metrics.FalseNegatives));
        Assert.Equal(0.75, metrics.Accuracy, 12);
        Assert.Equal(1, metrics.Precision, 12);
        Assert.Equal(0.5, metrics.Recall, 12);
        Assert.Equal(2.0 / 3, metrics.F1, 12);
        Assert.Equal(-(Math.Log(0.9) + Math.Log(0.6) + Math.Log(0.35) + Math.Log(0.8)) / 4, metrics.LogLoss!.Value, 6);
    }

    [Fact]
    public void TiedScoresCountHalf()
    {
        // Positives 0.5 and 0.9 against negatives 0.5 and 0.2: 0.5 + 1 + 1 + 1 of 4 pairs.
        var metrics = BinaryMetrics.Compute([false, true, false, true], [0.5f, 0.5f, 0.2f, 0.9f]);

        Assert.Equal(0.875, metrics.Auc!.Value, 12);
    }

    [Fact]
    public void AucEqualsThePairwiseCount()
    {
        var random = new Random(3);
        var truth = new bool[400];
        var scores = new float[400];
        for (var i = 0; i < truth.Length; i++)
        {
            truth[i] = random.NextDouble() < 0.3;
            scores[i] = MathF.Round((random.NextSingle() * 0.7f) + (truth[i] ? 0.3f : 0), 1); // coarse: many ties
        }

        double wins = 0;
        long pairs = 0;
        for (var p = 0; p < truth.Length; p++)
        {
            for (var n = 0; n < truth.Length; n++)
            {
                if (truth[p] && !truth[n])
                {
                    pairs++;
                    wins += scores[p] > scores[n] ? 1 : scores[p] == scores[n] ? 0.5 : 0;
                }
            }
        }

        Assert.Equal(wins / pairs, BinaryMetrics.Compute(truth, scores).Auc!.Value, 12);
    }

    [Fact]
    public void AucIsUndefinedWithOneClassAndLogLossWithoutProbabilities()
    {
        var metrics = BinaryMetrics.Compute([1L, 1], [0.3f, 2.5f]);

        Assert.Null(metrics.Auc);
        Assert.Null(metrics.LogLoss);
        Assert.Equal(0.5, metrics.Recall, 12);
    }

    [Fact]
    public void NonBinaryTruthIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BinaryMetrics.Compute([0L, 2], [0.1f, 0.2f]));
    }
}
