using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using OrleansMl.Ml.MlNet;
using OrleansMl.Ml.Serving;

namespace OrleansMl.Ml.Tests.Serving;

/// <summary>
/// Maximum-entropy models scored from their weights give ML.NET's own answers (Transform of the
/// same model): the same classes, the same probabilities to float rounding; and models the weights
/// alone do not describe still go through ML.NET.
/// </summary>
public sealed class MaximumEntropyScorerTests
{
    private const int Dimension = 43; // not a whole number of SIMD vectors: the scalar tail is scored too
    private const int Classes = 6;

    private static readonly Dictionary<string, string> NoParameters = [];

    [Theory]
    [InlineData("lbfgs_maxent")]
    [InlineData("sdca_maxent")]
    public void MaximumEntropyModelScoresFromItsWeightsAsMlNetTransformDoes(string algorithm)
    {
        var ml = new MLContext(seed: 42);
        var (features, labels) = Data(new Random(1), 600, scale: 1);
        var (model, schema) = MlNetTrainer.Train(ml, "multiclass", algorithm, features, Dimension, labels, NoParameters);
        var (test, _) = Data(new Random(2), 400, scale: 1);

        using var scorer = MlNetScorer.Load(ScorerData.Zip(ml, model, schema));

        Assert.IsType<MaximumEntropyScorer>(scorer);
        AssertLikeTransform(ml, model, test, scorer);
    }

    /// <summary>Large features make the softmax peak (the largest score dominates): the log-sum-exp form keeps it finite, as ML.NET's does.</summary>
    [Fact]
    public void PeakedScoresStayFiniteAndMatchMlNet()
    {
        var ml = new MLContext(seed: 42);
        var (features, labels) = Data(new Random(3), 600, scale: 1);
        var (model, schema) = MlNetTrainer.Train(ml, "multiclass", "lbfgs_maxent", features, Dimension, labels, NoParameters);
        var (test, _) = Data(new Random(4), 200, scale: 300);

        using var scorer = MlNetScorer.Load(ScorerData.Zip(ml, model, schema));
        var scores = AssertLikeTransform(ml, model, test, scorer);

        Assert.All(scores, s => Assert.True(float.IsFinite(s)));
        Assert.Contains(scores, s => s > 0.999f);
    }

    /// <summary>An L1 penalty leaves most weights zero (which ML.NET may keep as sparse buffers).</summary>
    [Fact]
    public void SparseWeightsScoreAsDense()
    {
        var ml = new MLContext(seed: 42);
        var (features, labels) = Data(new Random(5), 600, scale: 1);
        var data = ScorerData.DataView(ml, features, labels, Dimension);
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options { L1Regularization = 2f, NumberOfThreads = 1 }))
            .Fit(data);
        VBuffer<float>[] weights = [];
        model.LastTransformer.Model.GetWeights(ref weights, out _);
        Assert.True(weights.Sum(w => w.DenseValues().Count(v => v == 0)) > Classes * Dimension / 2, "The L1 penalty should leave most weights zero.");

        using var scorer = MlNetScorer.Load(ScorerData.Zip(ml, model, data.Schema));

        Assert.IsType<MaximumEntropyScorer>(scorer);
        AssertLikeTransform(ml, model, Data(new Random(6), 300, scale: 1).Features, scorer);
    }

    /// <summary>A model that rescales its features before the predictor is not described by the weights alone.</summary>
    [Fact]
    public void ModelThatRewritesItsFeaturesIsScoredByMlNet()
    {
        var ml = new MLContext(seed: 42);
        var (features, labels) = Data(new Random(7), 600, scale: 1);
        var data = ScorerData.DataView(ml, features, labels, Dimension);
        var model = ml.Transforms.NormalizeMinMax("Features")
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options { NumberOfThreads = 1 }))
            .Fit(data);

        using var scorer = MlNetScorer.Load(ScorerData.Zip(ml, model, data.Schema));

        Assert.IsType<MlNetScorer>(scorer);
        AssertLikeTransform(ml, model, Data(new Random(8), 300, scale: 1).Features, scorer);
    }

    [Fact]
    public void OtherMulticlassModelsAreScoredByMlNet()
    {
        var ml = new MLContext(seed: 42);
        var (features, labels) = Data(new Random(9), 600, scale: 1);
        var (model, schema) = MlNetTrainer.Train(ml, "multiclass", "naive_bayes", features, Dimension, labels, NoParameters);

        using var scorer = MlNetScorer.Load(ScorerData.Zip(ml, model, schema));

        Assert.IsType<MlNetScorer>(scorer);
    }

    private static float[] AssertLikeTransform(MLContext ml, ITransformer model, float[] test, IScorer scorer)
    {
        var (expectedLabels, expectedScores) = MlNetTrainer.Predict(ml, model, "multiclass", test, Dimension);
        var rows = test.Length / Dimension;
        var labels = new long[rows];
        var scores = new float[rows * Classes];
        scorer.Score(test, labels, scores);

        Assert.Equal((ScorerKind.Multiclass, Classes, Dimension), (scorer.Kind, scorer.ScoreWidth, scorer.Dimension));
        Assert.Equal(expectedLabels, labels);
        for (var i = 0; i < scores.Length; i++)
        {
            Assert.True(Math.Abs(expectedScores[i] - scores[i]) <= 1e-5f, $"Score {i}: ML.NET {expectedScores[i]}, scorer {scores[i]}.");
        }

        return scores;
    }

    /// <summary>One cluster per class, centred on a feature of its own, with noise everywhere.</summary>
    private static (float[] Features, double[] Labels) Data(Random random, int rows, float scale)
    {
        var features = new float[rows * Dimension];
        var labels = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            var c = random.Next(Classes);
            labels[r] = c;
            for (var j = 0; j < Dimension; j++)
            {
                features[(r * Dimension) + j] = scale * ((2 * random.NextSingle()) - 1 + (j % Classes == c ? 0.8f : 0));
            }
        }

        return (features, labels);
    }
}
