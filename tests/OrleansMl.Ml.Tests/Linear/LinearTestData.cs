using System.Numerics.Tensors;
using OrleansMl.Ml.Linear;

namespace OrleansMl.Ml.Tests.Linear;

/// <summary>Seeded synthetic data and a partitioned objective, as a training coordinator would build it.</summary>
internal static class LinearTestData
{
    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    public static float[] Uniform(Random random, int count, float low, float high)
    {
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = low + ((high - low) * random.NextSingle());
        }

        return values;
    }

    public static double[] Weights(Random random, int count, double scale)
    {
        var values = new double[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = scale * Gaussian(random);
        }

        return values;
    }

    /// <summary>Labels that suit <paramref name="objective"/>: classes for classifiers, any reals for regression.</summary>
    public static double[] Labels(Random random, LinearObjective objective, int rows)
    {
        var labels = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            labels[r] = objective.Classes == 0 ? 3 * Gaussian(random) : random.Next(objective.Classes);
        }

        return labels;
    }

    /// <summary><paramref name="perClass"/> points around each of <paramref name="classes"/> random centres, shuffled.</summary>
    public static (float[] Features, double[] Labels) Blobs(Random random, int classes, int dimension, int perClass, double spread, double noise)
    {
        var centres = Weights(random, classes * dimension, spread);
        var rows = classes * perClass;
        var features = new float[rows * dimension];
        var labels = new double[rows];
        var order = Enumerable.Range(0, rows).OrderBy(_ => random.Next()).ToArray();
        for (var i = 0; i < rows; i++)
        {
            var r = order[i];
            var c = i % classes;
            labels[r] = c;
            for (var j = 0; j < dimension; j++)
            {
                features[(r * dimension) + j] = (float)(centres[(c * dimension) + j] + (noise * Gaussian(random)));
            }
        }

        return (features, labels);
    }

    /// <summary>
    /// The regularised objective of the rows split at <paramref name="cuts"/>: each part's sums computed
    /// alone, then added in part order, then the L2 penalty: what the distributed coordinator does.
    /// </summary>
    public static Func<double[], double[], CancellationToken, ValueTask<double>> Partitioned(
        LinearObjective objective, float[] features, int dimension, double[] labels, double lambda, params int[] cuts)
    {
        int[] bounds = [0, .. cuts, labels.Length];
        return (weights, gradient, _) =>
        {
            var value = 0.0;
            var partial = new double[gradient.Length];
            for (var p = 0; p + 1 < bounds.Length; p++)
            {
                Array.Clear(partial);
                var (start, end) = (bounds[p], bounds[p + 1]);
                value += objective.AddLossAndGradient(features.AsSpan(start * dimension, (end - start) * dimension), dimension, labels.AsSpan(start, end - start), weights, partial);
                TensorPrimitives.Add(gradient, partial, gradient);
            }

            return ValueTask.FromResult(L2Regularization.Add(value, weights, dimension, lambda, gradient));
        };
    }

    public static double Accuracy(LinearModel model, float[] features, double[] labels)
    {
        var predicted = new long[labels.Length];
        model.Predict(features, predicted, new double[labels.Length * model.Objective.Outputs]);
        var right = 0;
        for (var r = 0; r < labels.Length; r++)
        {
            right += predicted[r] == (long)labels[r] ? 1 : 0;
        }

        return (double)right / labels.Length;
    }
}
