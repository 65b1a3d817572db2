using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace OrleansMl.Ml.MlNet;

/// <summary>
/// Trains an ML.NET trainer on in-memory feature vectors and labels — a run of the "mlnet" trainer,
/// on the full data of one node. Multiclass labels are mapped to keys by value (class i is key i),
/// so scores line up with class numbers. Parameters are ML.NET's, by snake_case name.
/// </summary>
public static class MlNetTrainer
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Algorithms { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["multiclass"] = ["lbfgs_maxent", "sdca_maxent", "lightgbm", "fasttree_ova", "naive_bayes"],
        ["binary"] = ["lbfgs_logistic", "sdca_logistic", "lightgbm", "fasttree"],
        ["regression"] = ["sdca", "lightgbm", "fasttree", "lbfgs_poisson"],
    };

    /// <summary>Trains on row-major <paramref name="features"/> and returns the fitted model and the schema it was trained on.</summary>
    public static (ITransformer Model, DataViewSchema Schema) Train(
        MLContext ml, string task, string algorithm, float[] features, int dimension, double[] labels, IReadOnlyDictionary<string, string> parameters)
    {
        var data = ToDataView(ml, features, dimension, labels);
        var p = new Parameters(parameters);
        IEstimator<ITransformer> pipeline = task switch
        {
            "multiclass" => ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
                .Append(Multiclass(ml, algorithm, p)),
            "binary" => ml.Transforms.Conversion.ConvertType("Label", outputKind: DataKind.Boolean).Append(Binary(ml, algorithm, p)),
            "regression" => Regression(ml, algorithm, p),
            _ => throw new ArgumentException($"Unknown task '{task}'."),
        };
        return (pipeline.Fit(data), data.Schema);
    }

    /// <summary>Scores rows: for classifiers the predicted class and the per-class probabilities (multiclass) or P(1) (binary); for regression the prediction.</summary>
    public static (long[] Labels, float[] Scores) Predict(MLContext ml, ITransformer model, string task, float[] features, int dimension)
    {
        var rows = features.Length / dimension;
        var scored = model.Transform(ToDataView(ml, features, dimension, new double[rows]));
        var labels = new long[rows];
        if (task == "multiclass")
        {
            var predicted = scored.GetColumn<uint>("PredictedLabel").ToArray();
            var scores = scored.GetColumn<float[]>("Score").ToArray();
            var classes = scores.Length == 0 ? 0 : scores[0].Length;
            var all = new float[rows * classes];
            for (var i = 0; i < rows; i++)
            {
                labels[i] = predicted[i] - 1L; // keys are 1-based, in label order
                scores[i].CopyTo(all, i * classes);
            }

            return (labels, all);
        }

        if (task == "binary")
        {
            var predicted = scored.GetColumn<bool>("PredictedLabel").ToArray();
            var probability = scored.GetColumn<float>(scored.Schema.GetColumnOrNull("Probability") is null ? "Score" : "Probability").ToArray();
            for (var i = 0; i < rows; i++)
            {
                labels[i] = predicted[i] ? 1 : 0;
            }

            return (labels, probability);
        }

        return (labels, scored.GetColumn<float>("Score").ToArray());
    }

    private static IEstimator<ITransformer> Multiclass(MLContext ml, string algorithm, Parameters p) => algorithm switch
    {
        "lbfgs_maxent" => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
        {
            L2Regularization = p.Float("l2", 1), L1Regularization = p.Float("l1", 1), MaximumNumberOfIterations = p.Int("max_iterations", int.MaxValue),
            OptimizationTolerance = p.Float("tolerance", 1e-7f), NumberOfThreads = 1,
        }),
        "sdca_maxent" => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
        {
            L2Regularization = p.NullableFloat("l2"), MaximumNumberOfIterations = p.NullableInt("max_iterations"), NumberOfThreads = 1,
        }),
        "lightgbm" => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
        {
            NumberOfLeaves = p.NullableInt("num_leaves"), LearningRate = p.NullableDouble("learning_rate"), NumberOfIterations = p.Int("num_iterations", 100),
            MinimumExampleCountPerLeaf = p.NullableInt("min_data_per_leaf"), NumberOfThreads = 1, Seed = p.Int("seed", 0),
        }),
        "fasttree_ova" => ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            NumberOfLeaves = p.Int("num_leaves", 20), NumberOfTrees = p.Int("num_trees", 100), LearningRate = p.Double("learning_rate", 0.2),
            MinimumExampleCountPerLeaf = p.Int("min_data_per_leaf", 10), NumberOfThreads = 1,
        })),
        "naive_bayes" => ml.MulticlassClassification.Trainers.NaiveBayes(),
        _ => throw Unknown("multiclass", algorithm),
    };

    private static IEstimator<ITransformer> Binary(MLContext ml, string algorithm, Parameters p) => algorithm switch
    {
        "lbfgs_logistic" => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            L2Regularization = p.Float("l2", 1), L1Regularization = p.Float("l1", 1), MaximumNumberOfIterations = p.Int("max_iterations", int.MaxValue), NumberOfThreads = 1,
        }),
        "sdca_logistic" => ml.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options
        {
            L2Regularization = p.NullableFloat("l2"), MaximumNumberOfIterations = p.NullableInt("max_iterations"), NumberOfThreads = 1,
        }),
        "lightgbm" => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfLeaves = p.NullableInt("num_leaves"), LearningRate = p.NullableDouble("learning_rate"), NumberOfIterations = p.Int("num_iterations", 100), NumberOfThreads = 1, Seed = p.Int("seed", 0),
        }),
        "fasttree" => ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            NumberOfLeaves = p.Int("num_leaves", 20), NumberOfTrees = p.Int("num_trees", 100), LearningRate = p.Double("learning_rate", 0.2), NumberOfThreads = 1,
        }),
        _ => throw Unknown("binary", algorithm),
    };

    private static IEstimator<ITransformer> Regression(MLContext ml, string algorithm, Parameters p) => algorithm switch
    {
        "sdca" => ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options { L2Regularization = p.NullableFloat("l2"), MaximumNumberOfIterations = p.NullableInt("max_iterations"), NumberOfThreads = 1 }),
        "lightgbm" => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options { NumberOfLeaves = p.NullableInt("num_leaves"), LearningRate = p.NullableDouble("learning_rate"), NumberOfIterations = p.Int("num_iterations", 100), NumberOfThreads = 1, Seed = p.Int("seed", 0) }),
        "fasttree" => ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options { NumberOfLeaves = p.Int("num_leaves", 20), NumberOfTrees = p.Int("num_trees", 100), LearningRate = p.Double("learning_rate", 0.2), NumberOfThreads = 1 }),
        "lbfgs_poisson" => ml.Regression.Trainers.LbfgsPoissonRegression(),
        _ => throw Unknown("regression", algorithm),
    };

    private static ArgumentException Unknown(string task, string algorithm) =>
        new($"Unknown {task} algorithm '{algorithm}'. Algorithms: {string.Join(", ", Algorithms[task])}.");

    private static IDataView ToDataView(MLContext ml, float[] features, int dimension, double[] labels)
    {
        var rows = new Row[labels.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = new Row { Features = features.AsSpan(i * dimension, dimension).ToArray(), Label = (float)labels[i] };
        }

        var schema = SchemaDefinition.Create(typeof(Row));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    private sealed class Parameters(IReadOnlyDictionary<string, string> values)
    {
        public int Int(string name, int fallback) => NullableInt(name) ?? fallback;

        public int? NullableInt(string name) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : null;

        public float Float(string name, float fallback) => NullableFloat(name) ?? fallback;

        public float? NullableFloat(string name) => values.TryGetValue(name, out var v) ? float.Parse(v, CultureInfo.InvariantCulture) : null;

        public double Double(string name, double fallback) => NullableDouble(name) ?? fallback;

        public double? NullableDouble(string name) => values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : null;
    }
}
