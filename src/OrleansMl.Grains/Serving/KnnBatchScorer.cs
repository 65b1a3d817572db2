using OrleansMl.Knn;
using OrleansMl.Ml.Serving;

namespace OrleansMl.Serving;

/// <summary>A k-NN model: each batch of queries fans out to the training partitions' grains, wherever they live.</summary>
internal sealed class KnnBatchScorer(DistributedKnnClassifier classifier, int dimension, int classes) : IBatchScorer
{
    public int Dimension => dimension;

    public ScorerKind Kind => ScorerKind.Multiclass;

    public int ScoreWidth => classes;

    public async ValueTask ScoreAsync(float[] features, int rows, long[] labels, float[] scores)
    {
        var prediction = await classifier.PredictAsync(features.Length == rows * dimension ? features : features[..(rows * dimension)], dimension);
        prediction.Labels.CopyTo(labels, 0);
        prediction.Scores.CopyTo(scores, 0);
    }

    public void Dispose()
    {
    }
}
