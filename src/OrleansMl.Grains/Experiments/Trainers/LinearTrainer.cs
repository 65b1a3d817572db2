using System.Globalization;
using System.Numerics.Tensors;
using OrleansMl.Data.Columns;
using OrleansMl.Datasets;
using OrleansMl.Linear;
using OrleansMl.Ml.Linear;
using OrleansMl.Ml.Metrics;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Experiments.Trainers;

/// <summary>
/// Data-parallel linear models with exact gradient aggregation: every L-BFGS evaluation sends the
/// weights to all training partitions at once; each returns the loss and gradient sums of its rows;
/// the coordinator adds them in partition order, divides by the row count and adds the L2 penalty.
/// That is the objective a single node computes over all rows (up to the rounding of the sum order),
/// so the optimiser follows the same path. The L-BFGS state is checkpointed to the store after every
/// iteration; a run started again after its silo died resumes from it.
/// Parameters: l2 (1e-4), max_iterations (100), memory (10), tolerance (1e-5).
/// </summary>
public sealed class LinearTrainer(string name, IReadOnlyCollection<string> tasks) : IRunTrainer
{
    public string Name => name;

    public IReadOnlyCollection<string> Tasks => tasks;

    public void Validate(IReadOnlyDictionary<string, string> parameters)
    {
        Check(parameters, "l2", v => double.TryParse(v, CultureInfo.InvariantCulture, out var l2) && l2 >= 0 && double.IsFinite(l2), "a number ≥ 0");
        Check(parameters, "max_iterations", v => int.TryParse(v, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 100_000, "a whole number from 1 to 100000");
        Check(parameters, "memory", v => int.TryParse(v, CultureInfo.InvariantCulture, out var m) && m is >= 1 and <= 100, "a whole number from 1 to 100");
        Check(parameters, "tolerance", v => double.TryParse(v, CultureInfo.InvariantCulture, out var t) && t > 0, "a number > 0");
    }

    public async Task<RunOutcome> TrainAsync(RunContext context)
    {
        var spec = context.Spec;
        var (evalFeatures, evalLabels) = await TrainerData.ReadEvalAsync(context);
        var kind = spec.Task switch
        {
            "multiclass" => "multiclass_logistic",
            "binary" => name == "linear_svm" ? "linear_svm" : "binary_logistic",
            _ => "linear_regression",
        };
        var classes = evalLabels is Int64Column classLabels ? await TrainerData.ClassCountAsync(context, classLabels.UnsafeArray) : 1;
        var dimension = context.Train.Columns.Single(c => c.Name == spec.FeatureColumn).VectorLength;
        var objective = LinearObjectives.Create(kind, classes);
        var lambda = context.Double("l2", 1e-4);
        var options = new LbfgsOptions
        {
            MaxIterations = context.Int("max_iterations", 100),
            Memory = context.Int("memory", 10),
            GradientTolerance = context.Double("tolerance", 1e-5),
        };
        var partitions = DatasetFiles.Partitions(context.Grains, spec.Train.Name, context.Train);
        await TrainerData.RecordPartitionSilosAsync(context);

        async ValueTask<double> EvaluateAsync(double[] weights, double[] gradient, CancellationToken cancellationToken)
        {
            var request = new LinearGradientRequest(spec.FeatureColumn, spec.LabelColumn, kind, classes, weights);
            var parts = await Task.WhenAll(partitions.Select(p => p.LinearGradientAsync(request, cancellationToken)));
            var loss = 0.0;
            long rows = 0;
            foreach (var part in parts) // partition order: the same sum every time
            {
                loss += part.Loss;
                rows += part.Rows;
                TensorPrimitives.Add(gradient, part.Gradient, gradient);
            }

            TensorPrimitives.Multiply(gradient, 1.0 / rows, gradient);
            return L2Regularization.Add(loss / rows, weights, dimension, lambda, gradient);
        }

        var checkpoint = context.ArtifactPath("checkpoint.lbfgs");
        var resume = await context.Store.GetInfoAsync(checkpoint, context.CancellationToken) is null ? null : await ReadCheckpointAsync(context, checkpoint);
        var result = await Lbfgs.MinimizeAsync(EvaluateAsync, new double[objective.WeightCount(dimension)], options, async state =>
        {
            await context.Store.WriteAsync(checkpoint, new MemoryStream(state.ToBytes()), ArtifactWriteCondition.None, context.CancellationToken);
            await context.Metrics.LogAsync(state.Iteration, new Dictionary<string, double> { ["objective"] = state.Value }, context.CancellationToken);
        }, resume, context.CancellationToken);

        var model = new LinearModel(objective.Kind, dimension, classes, result.X);
        var modelPath = context.ArtifactPath("model.linear");
        await context.Store.WriteAsync(modelPath, new MemoryStream(model.ToBytes()), ArtifactWriteCondition.None, context.CancellationToken);
        var evaluation = Evaluate(model, spec.Task, evalFeatures, evalLabels, classes);
        evaluation.Metrics["iterations"] = result.Iterations;
        evaluation.Metrics["objective"] = result.Value;
        await context.Metrics.LogAsync(result.Iterations, evaluation.Metrics, context.CancellationToken);
        var artifacts = new Dictionary<string, string> { ["model"] = modelPath, ["checkpoint"] = checkpoint };
        await evaluation.AddConfusionAsync(context, artifacts);
        return new RunOutcome(evaluation.Metrics, artifacts);
    }

    private static EvalScores Evaluate(LinearModel model, string task, VectorColumn features, Column labels, int classes)
    {
        var rows = features.Length;
        var outputs = new double[rows * model.Objective.Outputs];
        if (task == "regression")
        {
            model.Predict(features.Values, outputs);
            return EvalScores.Regression(((Float64Column)Data.Transforms.ColumnCast.Cast(labels, Data.Schema.ColumnType.Float64)).Values, outputs);
        }

        var predicted = new long[rows];
        model.Predict(features.Values, predicted, outputs);
        var actual = ((Int64Column)labels).Values;
        if (task == "binary")
        {
            return EvalScores.Binary(actual, Array.ConvertAll(outputs, v => (float)v));
        }

        return EvalScores.Multiclass(actual, predicted, Array.ConvertAll(outputs, v => (float)v), classes);
    }

    private static async Task<LbfgsState> ReadCheckpointAsync(RunContext context, string path)
    {
        await using var content = await context.Store.OpenReadAsync(path, context.CancellationToken);
        using var bytes = new MemoryStream();
        await content.CopyToAsync(bytes, context.CancellationToken);
        return LbfgsState.FromBytes(bytes.ToArray());
    }

    private static void Check(IReadOnlyDictionary<string, string> parameters, string parameter, Func<string, bool> valid, string expected)
    {
        if (parameters.TryGetValue(parameter, out var value) && !valid(value))
        {
            throw FieldError.Invalid($"parameter {parameter} must be {expected}; got '{value}'.", $"params.{parameter}");
        }
    }
}
