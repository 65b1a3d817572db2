using System.Numerics.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;
using OrleansMl.Ml.Linear;
using OrleansMl.Ml.MlNet;
using OrleansMl.Ml.Serving;
using OrleansMl.Ml.Tests.Linear;

namespace OrleansMl.Ml.Tests.Serving;

/// <summary>
/// The in-process scorers: ML.NET models loaded from their .zip score as <see cref="MlNetTrainer.Predict"/> does,
/// from one thread or many; linear models score as <see cref="LinearModel.Predict(ReadOnlySpan{float}, Span{long}, Span{double})"/>;
/// an ensemble averages its members.
/// </summary>
public sealed class ScorerTests
{
    private const int Dimension = ScorerData.Dimension;
    private const int Classes = ScorerData.Classes;
    private const int Rows = 200;

    private static readonly Dictionary<string, string> NoParameters = [];

    [Theory]
    [MemberData(nameof(ScorerData.Algorithms), MemberType = typeof(ScorerData))]
    public void MlNetScorerLoadedFromZipScoresLikeMlNetTrainer(string task, string algorithm)
    {
        var ml = new MLContext(seed: 42);
        var (features, labels) = ScorerData.Data(new Random(42), task, 300);
        var (model, schema) = MlNetTrainer.Train(ml, task, algorithm, features, Dimension, labels, NoParameters);
        var (test, _) = ScorerData.Data(new Random(7), task, Rows);
        var (expectedLabels, expectedScores) = MlNetTrainer.Predict(ml, model, task, test, Dimension);

        using var scorer = MlNetScorer.Load(ScorerData.Zip(ml, model, schema));
        var (actualLabels, actualScores) = Score(scorer, test);

        Assert.Equal("Features", scorer.InputName);
        Assert.Equal(Dimension, scorer.Dimension);
        Assert.Equal(KindOf(task), scorer.Kind);
        Assert.Equal(task == "multiclass" ? Classes : 1, scorer.ScoreWidth);
        AssertScoresLike(task, expectedLabels, expectedScores, actualLabels, actualScores);
    }

    /// <summary>
    /// A binary model with no Probability column (an uncalibrated linear SVM, as a user may upload): the scorer
    /// serves its margin, as <see cref="MlNetTrainer.Predict"/> reads it.
    /// </summary>
    [Fact]
    public void MlNetScorerServesTheMarginOfABinaryModelWithoutProbability()
    {
        var ml = new MLContext(seed: 42);
        var (features, labels) = ScorerData.Data(new Random(42), "binary", 300);
        var data = ScorerData.DataView(ml, features, labels);
        var model = ml.Transforms.Conversion.ConvertType("Label", outputKind: DataKind.Boolean)
            .Append(ml.BinaryClassification.Trainers.LinearSvm())
            .Fit(data);
        Assert.Null(model.GetOutputSchema(data.Schema).GetColumnOrNull("Probability"));
        var (test, _) = ScorerData.Data(new Random(7), "binary", Rows);
        var (expectedLabels, expectedScores) = MlNetTrainer.Predict(ml, model, "binary", test, Dimension);

        using var scorer = MlNetScorer.Load(ScorerData.Zip(ml, model, data.Schema));
        var (actualLabels, actualScores) = Score(scorer, test);

        Assert.Equal((ScorerKind.Binary, 1, Dimension, "Features"), (scorer.Kind, scorer.ScoreWidth, scorer.Dimension, scorer.InputName));
        Assert.Contains(actualScores, s => s is < 0 or > 1); // margins, not probabilities
        AssertScoresLike("binary", expectedLabels, expectedScores, actualLabels, actualScores);
    }

    [Fact]
    public void MlNetScorerScoresTheSameFromManyThreadsAtOnce()
    {
        var ml = new MLContext(seed: 42);
        var (features, labels) = ScorerData.Data(new Random(42), "multiclass", 300);
        var (model, schema) = MlNetTrainer.Train(ml, "multiclass", "lbfgs_maxent", features, Dimension, labels, NoParameters);
        using var scorer = MlNetScorer.Load(ScorerData.Zip(ml, model, schema));
        var (expectedLabels, expectedScores) = Score(scorer, features);

        var results = new (long[] Labels, float[] Scores)[16];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = results.Length }, i => results[i] = Score(scorer, features));

        foreach (var (actualLabels, actualScores) in results)
        {
            Assert.Equal(expectedLabels, actualLabels);
            Assert.Equal(expectedScores, actualScores);
        }
    }

    [Fact]
    public void MlNetScorerLoadRejectsModelOverScalarColumnsNamingThem()
    {
        var ml = new MLContext(seed: 42);
        var random = new Random(42);
        var rows = Enumerable.Range(0, 100).Select(_ =>
        {
            var (a, b) = (random.NextSingle(), random.NextSingle());
            return new TwoColumns { Width = a, Height = b, Label = (2 * a) - b };
        }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Transforms.Concatenate("Features", nameof(TwoColumns.Width), nameof(TwoColumns.Height))
            .Append(ml.Regression.Trainers.Sdca(new() { NumberOfThreads = 1 }))
            .Fit(data);

        var error = Assert.Throws<NotSupportedException>(() => MlNetScorer.Load(ScorerData.Zip(ml, model, data.Schema)));

        Assert.Contains("'Width'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Height'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LinearScorerMatchesLinearModelForMulticlass()
    {
        // Two features; class c scores feature c (class 2 scores the bias 0.5 only).
        var model = new LinearModel(LinearModelKind.MulticlassLogistic, 2, 3, [1, 0, 0, 0, 1, 0, 0, 0, 0.5]);
        float[] features = [2, 0, 0, 3, 0, 0, -1, 4];
        var expectedLabels = new long[4];
        var expectedOutputs = new double[12];
        model.Predict(features, expectedLabels, expectedOutputs);

        using var scorer = new LinearScorer(model);
        var labels = new long[4];
        var scores = new float[12];
        scorer.Score(features, labels, scores);

        Assert.Equal((ScorerKind.Multiclass, 3, 2, "features"), (scorer.Kind, scorer.ScoreWidth, scorer.Dimension, scorer.InputName));
        Assert.Equal([0L, 1L, 2L, 1L], labels);
        Assert.Equal(expectedLabels, labels);
        AssertClose(expectedOutputs, scores);
        Assert.Equal((float)(Math.Exp(2) / (Math.Exp(2) + 1 + Math.Exp(0.5))), scores[0], 1e-6f);
    }

    [Fact]
    public void LinearScorerMatchesLinearModelForManyRowsOfRandomWeights()
    {
        // More rows than one block of the objective (256), so the scorer's pooled outputs span blocks.
        var random = new Random(42);
        var model = new LinearModel(LinearModelKind.MulticlassLogistic, Dimension, Classes, LinearTestData.Weights(random, (Dimension + 1) * Classes, 1));
        var features = LinearTestData.Uniform(random, 300 * Dimension, -2, 2);
        var expectedLabels = new long[300];
        var expectedOutputs = new double[300 * Classes];
        model.Predict(features, expectedLabels, expectedOutputs);

        using var scorer = new LinearScorer(model);
        var (labels, scores) = Score(scorer, features);

        Assert.Equal(expectedLabels, labels);
        AssertClose(expectedOutputs, scores);
    }

    [Fact]
    public void LinearScorerMatchesLinearModelForBinaryLogistic()
    {
        var model = new LinearModel(LinearModelKind.BinaryLogistic, 1, 2, [1, -1]);
        float[] features = [-1, 0.5f, 3];
        var expectedLabels = new long[3];
        var expectedOutputs = new double[3];
        model.Predict(features, expectedLabels, expectedOutputs);

        using var scorer = new LinearScorer(model);
        var labels = new long[3];
        var scores = new float[3];
        scorer.Score(features, labels, scores);

        Assert.Equal((ScorerKind.Binary, 1, 1), (scorer.Kind, scorer.ScoreWidth, scorer.Dimension));
        Assert.Equal([0L, 0L, 1L], labels);
        Assert.Equal(expectedLabels, labels);
        AssertClose(expectedOutputs, scores);
        Assert.Equal((float)(1 / (1 + Math.Exp(-2))), scores[2], 1e-7f);
    }

    [Fact]
    public void LinearScorerServesTheMarginOfALinearSvmAsBinary()
    {
        var model = new LinearModel(LinearModelKind.LinearSvm, 1, 2, [1, -1]);
        float[] features = [-1, 0.5f, 3];

        using var scorer = new LinearScorer(model);
        var labels = new long[3];
        var scores = new float[3];
        scorer.Score(features, labels, scores);

        Assert.Equal((ScorerKind.Binary, 1), (scorer.Kind, scorer.ScoreWidth));
        Assert.Equal([0L, 0L, 1L], labels);
        Assert.Equal([-2f, -0.5f, 2f], scores);
    }

    [Fact]
    public void LinearScorerMatchesLinearModelForRegression()
    {
        // y = 2·x0 − x1 + 0.5
        var model = new LinearModel(LinearModelKind.LinearRegression, 2, 0, [2, -1, 0.5]);
        float[] features = [1, 1, 0, 2, -3, 0.25f];
        var expected = new double[3];
        model.Predict(features, expected);

        using var scorer = new LinearScorer(model);
        var scores = new float[3];
        scorer.Score(features, [], scores);

        Assert.Equal((ScorerKind.Regression, 1, 2), (scorer.Kind, scorer.ScoreWidth, scorer.Dimension));
        Assert.Equal([1.5f, -1.5f, -5.75f], scores);
        AssertClose(expected, scores);
    }

    [Fact]
    public void EnsembleAveragesLinearMembersAndPicksTheMostProbableClass()
    {
        var random = new Random(42);
        var first = new LinearScorer(new LinearModel(LinearModelKind.MulticlassLogistic, Dimension, Classes, LinearTestData.Weights(random, (Dimension + 1) * Classes, 1)));
        var second = new LinearScorer(new LinearModel(LinearModelKind.MulticlassLogistic, Dimension, Classes, LinearTestData.Weights(random, (Dimension + 1) * Classes, 1)));
        var features = LinearTestData.Uniform(random, Rows * Dimension, -2, 2);
        var (_, firstScores) = Score(first, features);
        var (_, secondScores) = Score(second, features);

        using var ensemble = new EnsembleScorer([first, second]);
        var (labels, scores) = Score(ensemble, features);

        Assert.Equal((ScorerKind.Multiclass, Classes, Dimension, "features"), (ensemble.Kind, ensemble.ScoreWidth, ensemble.Dimension, ensemble.InputName));
        var disagreements = 0;
        for (var r = 0; r < Rows; r++)
        {
            var mean = new float[Classes];
            for (var c = 0; c < Classes; c++)
            {
                var i = (r * Classes) + c;
                mean[c] = (firstScores[i] + secondScores[i]) / 2;
                Assert.Equal(mean[c], scores[i], 1e-6f);
            }

            Assert.Equal(TensorPrimitives.IndexOfMax(mean), labels[r]);
            disagreements += TensorPrimitives.IndexOfMax(firstScores.AsSpan(r * Classes, Classes)) != TensorPrimitives.IndexOfMax(secondScores.AsSpan(r * Classes, Classes)) ? 1 : 0;
        }

        Assert.True(disagreements > 0, "The members should disagree on some rows, so the average decides.");
    }

    [Fact]
    public void EnsembleOfBinaryMembersPredictsOneWhenTheMeanProbabilityIsOverAHalf()
    {
        // P(1) of the members: σ(x) and σ(1 − 4x). They disagree for x over ¼, where the mean decides: 1 at 0.3, 0 at 1 and 4.
        var first = new LinearScorer(new LinearModel(LinearModelKind.BinaryLogistic, 1, 2, [1, 0]));
        var second = new LinearScorer(new LinearModel(LinearModelKind.BinaryLogistic, 1, 2, [-4, 1]));
        float[] features = [-2, -0.1f, 0.1f, 0.2f, 0.3f, 1, 4];
        var (_, firstScores) = Score(first, features);
        var (_, secondScores) = Score(second, features);

        using var ensemble = new EnsembleScorer([first, second]);
        var (labels, scores) = Score(ensemble, features);

        Assert.Equal((ScorerKind.Binary, 1), (ensemble.Kind, ensemble.ScoreWidth));
        for (var r = 0; r < features.Length; r++)
        {
            var mean = (firstScores[r] + secondScores[r]) / 2;
            Assert.Equal(mean, scores[r], 1e-6f);
            Assert.Equal(mean > 0.5f ? 1L : 0L, labels[r]);
        }

        Assert.Contains(0L, labels);
        Assert.Contains(1L, labels);
    }

    [Fact]
    public void EnsembleOfRegressionMembersAveragesTheirPredictions()
    {
        using var ensemble = new EnsembleScorer(
        [
            new LinearScorer(new LinearModel(LinearModelKind.LinearRegression, 2, 0, [2, -1, 0.5])),
            new LinearScorer(new LinearModel(LinearModelKind.LinearRegression, 2, 0, [0, 1, -0.5])),
        ]);
        float[] features = [1, 1, 0, 2, -3, 0.25f];
        var scores = new float[3];

        ensemble.Score(features, [], scores);

        Assert.Equal(ScorerKind.Regression, ensemble.Kind);
        Assert.Equal([1f, 0f, -3f], scores); // means of (1.5, 0.5), (-1.5, 1.5), (-5.75, -0.25)
    }

    [Fact]
    public void EnsembleAveragesMlNetMembers()
    {
        var ml = new MLContext(seed: 42);
        var (features, labels) = ScorerData.Data(new Random(42), "multiclass", 300);
        var (test, _) = ScorerData.Data(new Random(7), "multiclass", Rows);
        var members = new List<IScorer>();
        foreach (var algorithm in new[] { "lbfgs_maxent", "naive_bayes" })
        {
            var (model, schema) = MlNetTrainer.Train(ml, "multiclass", algorithm, features, Dimension, labels, NoParameters);
            members.Add(MlNetScorer.Load(ScorerData.Zip(ml, model, schema)));
        }

        var (_, firstScores) = Score(members[0], test);
        var (_, secondScores) = Score(members[1], test);

        using var ensemble = new EnsembleScorer(members);
        var (actualLabels, actualScores) = Score(ensemble, test);

        Assert.Equal((ScorerKind.Multiclass, Classes, "Features"), (ensemble.Kind, ensemble.ScoreWidth, ensemble.InputName));
        for (var r = 0; r < Rows; r++)
        {
            var mean = new float[Classes];
            for (var c = 0; c < Classes; c++)
            {
                var i = (r * Classes) + c;
                mean[c] = (firstScores[i] + secondScores[i]) / 2;
                Assert.Equal(mean[c], actualScores[i], 1e-6f);
            }

            Assert.Equal(TensorPrimitives.IndexOfMax(mean), actualLabels[r]);
        }
    }

    [Fact]
    public void EnsembleRejectsMembersOfDifferentDimension()
    {
        using var narrow = new LinearScorer(new LinearModel(LinearModelKind.LinearRegression, 2, 0, [1, 1, 0]));
        using var wide = new LinearScorer(new LinearModel(LinearModelKind.LinearRegression, 3, 0, [1, 1, 1, 0]));

        var error = Assert.Throws<ArgumentException>(() => new EnsembleScorer([narrow, wide]));

        Assert.Equal("members", error.ParamName);
        Assert.Contains("over 2 features", error.Message, StringComparison.Ordinal);
        Assert.Contains("over 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsembleRejectsMembersOfDifferentKindOrNone()
    {
        using var regression = new LinearScorer(new LinearModel(LinearModelKind.LinearRegression, 1, 0, [1, 0]));
        using var binary = new LinearScorer(new LinearModel(LinearModelKind.BinaryLogistic, 1, 2, [1, 0]));

        Assert.Throws<ArgumentException>(() => new EnsembleScorer([regression, binary]));
        Assert.Throws<ArgumentException>(() => new EnsembleScorer([]));
    }

    private static ScorerKind KindOf(string task) => task switch
    {
        "multiclass" => ScorerKind.Multiclass,
        "binary" => ScorerKind.Binary,
        _ => ScorerKind.Regression,
    };

    private static (long[] Labels, float[] Scores) Score(IScorer scorer, float[] features)
    {
        var rows = features.Length / scorer.Dimension;
        long[] labels = scorer.Kind == ScorerKind.Regression ? [] : new long[rows];
        var scores = new float[rows * scorer.ScoreWidth];
        scorer.Score(features, labels, scores);
        return (labels, scores);
    }

    private static void AssertScoresLike(string task, long[] expectedLabels, float[] expectedScores, long[] actualLabels, float[] actualScores)
    {
        if (task != "regression")
        {
            Assert.Equal(expectedLabels, actualLabels);
        }

        Assert.Equal(expectedScores.Length, actualScores.Length);
        for (var i = 0; i < expectedScores.Length; i++)
        {
            Assert.True(
                Math.Abs(expectedScores[i] - actualScores[i]) <= 1e-5 * Math.Max(1, Math.Abs(expectedScores[i])),
                $"Score {i}: MlNetTrainer.Predict {expectedScores[i]}, MlNetScorer {actualScores[i]}.");
        }
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal((float)expected[i], actual[i]);
        }
    }

    private sealed class TwoColumns
    {
        public float Width { get; set; }

        public float Height { get; set; }

        public float Label { get; set; }
    }
}
