using System.Buffers;
using System.Numerics.Tensors;
using OrleansMl.Ml.Linear;

namespace OrleansMl.Ml.Serving;

/// <summary>Scores with a platform linear model: class probabilities, the probability of 1, the SVM margin or the regression prediction.</summary>
public sealed class LinearScorer(LinearModel model) : IScorer
{
    public string InputName => "features";

    public int Dimension => model.Dimension;

    public ScorerKind Kind => model.Kind switch
    {
        LinearModelKind.MulticlassLogistic => ScorerKind.Multiclass,
        LinearModelKind.LinearRegression => ScorerKind.Regression,
        _ => ScorerKind.Binary,
    };

    public int ScoreWidth => model.Objective.Outputs;

    public void Score(ReadOnlySpan<float> features, Span<long> labels, Span<float> scores)
    {
        var rows = features.Length / Dimension;
        var outputs = ArrayPool<double>.Shared.Rent(rows * ScoreWidth);
        try
        {
            var span = outputs.AsSpan(0, rows * ScoreWidth);
            if (Kind == ScorerKind.Regression)
            {
                model.Predict(features, span);
            }
            else
            {
                model.Predict(features, labels[..rows], span);
            }

            TensorPrimitives.ConvertTruncating<double, float>(span, scores);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(outputs);
        }
    }

    public void Dispose()
    {
    }
}
