namespace OrleansMl.Ml.Serving;

/// <summary>
/// A loaded model that scores rows of one float vector of <see cref="Dimension"/> numbers. Safe to
/// call from many threads at once. Scoring many rows in one call is the fast way.
/// </summary>
public interface IScorer : IDisposable
{
    /// <summary>The name of the feature-vector input, as the model calls it (<c>features</c> when it does not say).</summary>
    string InputName { get; }

    /// <summary>The length of a row's feature vector.</summary>
    int Dimension { get; }

    ScorerKind Kind { get; }

    /// <summary>Scores per row: the class count for multiclass, 1 for binary and regression.</summary>
    int ScoreWidth { get; }

    /// <summary>
    /// Scores the rows of row-major <paramref name="features"/> (a whole number of <see cref="Dimension"/>-long rows):
    /// the predicted class of each row into <paramref name="labels"/> (left alone for regression, where it may be empty),
    /// and <see cref="ScoreWidth"/> scores a row into <paramref name="scores"/>.
    /// </summary>
    void Score(ReadOnlySpan<float> features, Span<long> labels, Span<float> scores);
}
