using Microsoft.ML;
using OrleansMl.Ml.MlNet;

namespace OrleansMl.Bench.Serving;

/// <summary>
/// The model the serving bench scores: L-BFGS logistic regression (MlNetTrainer, "binary", "lbfgs_logistic")
/// on a seeded synthetic set, saved as an ML.NET .zip with its training schema as the platform's mlnet
/// runs save theirs, and request bodies of fresh rows from the same distribution.
/// </summary>
/// <param name="ModelPath">The model .zip.</param>
/// <param name="Dimension">Features per row.</param>
/// <param name="TrainFeatures">The training rows, row-major (to import them into the platform).</param>
/// <param name="TrainLabels">The training labels, 0 or 1.</param>
/// <param name="RequestFeatures">The rows the bodies hold, row-major: the single-row body is the first.</param>
/// <param name="SingleRowBodyPath">A body with one record.</param>
/// <param name="BatchBodyPath">A body with <paramref name="BatchRows"/> records.</param>
internal sealed record ServingModel(
    string ModelPath, int Dimension, float[] TrainFeatures, double[] TrainLabels, float[] RequestFeatures, string SingleRowBodyPath, string BatchBodyPath, int BatchRows)
{
    public const string ModelTask = "binary";

    public const string ModelAlgorithm = "lbfgs_logistic";

    /// <summary>Generates the data, trains and saves the model, and writes the bodies into <paramref name="directory"/>.</summary>
    public static ServingModel Create(string directory, int dimension = 20, int trainRows = 20_000, int batchRows = 1_000, int seed = 42)
    {
        var random = new Random(seed);
        var weights = new double[dimension];
        for (var j = 0; j < dimension; j++)
        {
            weights[j] = Gaussian(random);
        }

        var (trainFeatures, trainLabels) = Sample(random, weights, trainRows);
        var (requestFeatures, _) = Sample(random, weights, batchRows);

        var ml = new MLContext(seed: seed);
        var (model, schema) = MlNetTrainer.Train(ml, ModelTask, ModelAlgorithm, trainFeatures, dimension, trainLabels, new Dictionary<string, string>());
        Directory.CreateDirectory(directory);
        var modelPath = Path.Combine(directory, "model.zip");
        ml.Model.Save(model, schema, modelPath);

        var single = PredictBody.Write(Path.Combine(directory, "single.json"), requestFeatures.AsSpan(0, dimension), dimension);
        var batch = PredictBody.Write(Path.Combine(directory, $"batch-{batchRows}.json"), requestFeatures, dimension);
        return new ServingModel(modelPath, dimension, trainFeatures, trainLabels, requestFeatures, single, batch, batchRows);
    }

    /// <summary>Rows of standard normal features, labelled 1 with probability sigmoid(w·x · 3/√d): learnable, not separable.</summary>
    private static (float[] Features, double[] Labels) Sample(Random random, double[] weights, int rows)
    {
        var dimension = weights.Length;
        var scale = 3 / Math.Sqrt(dimension);
        var features = new float[rows * dimension];
        var labels = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var logit = 0.0;
            for (var j = 0; j < dimension; j++)
            {
                var x = (float)Gaussian(random);
                features[(i * dimension) + j] = x;
                logit += weights[j] * x;
            }

            labels[i] = random.NextDouble() < 1 / (1 + Math.Exp(-logit * scale)) ? 1 : 0;
        }

        return (features, labels);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
