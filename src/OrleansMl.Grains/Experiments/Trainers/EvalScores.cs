using OrleansMl.Ml.Metrics;

namespace OrleansMl.Experiments.Trainers;

/// <summary>
/// A run's held-out scores: its metrics by task and, for a classifier, the confusion matrix ([true class][predicted
/// class] counts, classes in label order; binary: [[TN, FP], [FN, TP]]), which every classifier keeps as the artifact
/// <c>confusion_matrix</c> for the UI's heat-map and for anyone who wants more than the averages.
/// </summary>
public sealed record EvalScores(Dictionary<string, double> Metrics, long[][]? Confusion)
{
    public const string ConfusionArtifact = "confusion_matrix";

    public static EvalScores Regression(ReadOnlySpan<double> truth, ReadOnlySpan<double> predicted)
    {
        var regression = RegressionMetrics.Compute(truth, predicted);
        return new(new() { ["rmse"] = regression.Rmse, ["mae"] = regression.Mae, ["r2"] = regression.R2 }, null);
    }

    /// <summary>Positive when the score is above 0.5 (a probability); rows of a class never trained on are left out of the matrix.</summary>
    public static EvalScores Binary(ReadOnlySpan<long> truth, ReadOnlySpan<float> scores)
    {
        var binary = BinaryMetrics.Compute(truth, scores);
        return new(
            new() { ["accuracy"] = binary.Accuracy, ["f1"] = binary.F1, ["auc"] = binary.Auc ?? double.NaN, ["log_loss"] = binary.LogLoss ?? double.NaN },
            [[binary.TrueNegatives, binary.FalsePositives], [binary.FalseNegatives, binary.TruePositives]]);
    }

    public static EvalScores Multiclass(ReadOnlySpan<long> truth, ReadOnlySpan<long> predicted, ReadOnlySpan<float> probabilities, int classes)
    {
        var scores = ClassificationMetrics.Compute(truth, predicted, probabilities, classes);
        return new(
            new() { ["accuracy"] = scores.Accuracy, ["macro_f1"] = scores.MacroF1, ["micro_f1"] = scores.MicroF1, ["log_loss"] = scores.LogLoss ?? double.NaN },
            scores.ConfusionMatrix);
    }

    /// <summary>Writes the confusion matrix, if any, as the run's <c>confusion_matrix</c> artifact into <paramref name="artifacts"/>.</summary>
    public async Task AddConfusionAsync(RunContext context, Dictionary<string, string> artifacts)
    {
        if (Confusion is not null)
        {
            var path = context.ArtifactPath("confusion_matrix.json");
            await TrainerData.WriteJsonAsync(context, path, Confusion);
            artifacts[ConfusionArtifact] = path;
        }
    }
}
