using OrleansMl.Ml.Serving;

namespace OrleansMl.Serving;

/// <summary>A model scored in this process (linear, ML.NET, ensemble, ONNX).</summary>
internal sealed class LocalBatchScorer(IScorer scorer) : IBatchScorer
{
    public int Dimension => scorer.Dimension;

    public ScorerKind Kind => scorer.Kind;

    public int ScoreWidth => scorer.ScoreWidth;

    public ValueTask ScoreAsync(float[] features, int rows, long[] labels, float[] scores)
    {
        scorer.Score(features.AsSpan(0, rows * Dimension), labels, scores);
        return ValueTask.CompletedTask;
    }

    public void Dispose() => scorer.Dispose();
}
