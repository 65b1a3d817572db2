using OrleansMl.Ml.Serving;

namespace OrleansMl.Serving;

/// <summary>A loaded model version as a predictor scores with it: locally (<see cref="LocalBatchScorer"/>) or across the cluster (<see cref="KnnBatchScorer"/>).</summary>
internal interface IBatchScorer : IDisposable
{
    int Dimension { get; }

    ScorerKind Kind { get; }

    int ScoreWidth { get; }

    /// <summary>Scores <paramref name="rows"/> rows of <paramref name="features"/> into <paramref name="labels"/> and <paramref name="scores"/>, as <see cref="IScorer.Score"/>.</summary>
    ValueTask ScoreAsync(float[] features, int rows, long[] labels, float[] scores);
}
