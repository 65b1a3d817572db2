using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Transforms;
using OrleansMl.Datasets;
using OrleansMl.Ml.Torch;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Experiments.Trainers;

/// <summary>
/// trainer "torch": a neural network on LibTorch (TorchSharp, CPU) — an MLP, a LeNet-sized CNN or a
/// ResNet-8 (<see cref="TorchNetworkSpec"/>), trained with SGD, Adam or AdamW and a learning-rate schedule
/// (<see cref="TorchTrainingOptions"/>) on the run's training rows in the run's silo. Every epoch logs
/// loss, learning rate, samples/s and the held-out metrics (flushed, so <c>watch</c> and the UI see them
/// as they come) and writes the model so far; the final model is <c>model.torch</c>
/// (<see cref="TorchModelFile"/>).
/// </summary>
public sealed class TorchRunTrainer : IRunTrainer
{
    public string Name => "torch";

    public IReadOnlyCollection<string> Tasks { get; } = ["multiclass", "binary", "regression"];

    public void Validate(IReadOnlyDictionary<string, string> parameters)
    {
        try
        {
            // The input size and the classes are known only when a run reads its data: the image's size (or a
            // 28×28 image) and two classes stand in; the run checks them against the data.
            TorchNetworkSpec.FromParameters(parameters, "multiclass", StandInDimension(parameters), 2);
            TorchTrainingOptions.FromParameters(parameters, 0);
        }
        catch (ArgumentException e)
        {
            throw FieldError.Invalid(e.Message, e.Message.StartsWith("params.", StringComparison.Ordinal) ? e.Message[..e.Message.IndexOf(' ', StringComparison.Ordinal)] : "params");
        }
    }

    public async Task<RunOutcome> TrainAsync(RunContext context)
    {
        var spec = context.Spec;
        var train = await DatasetFiles.ReadAllAsync(context.Store, spec.Train.Name, context.Train, context.CancellationToken);
        var (evalFeatures, evalLabels) = await TrainerData.ReadEvalAsync(context);
        var features = train[spec.FeatureColumn] as VectorColumn ?? throw new ArgumentException($"torch needs '{spec.FeatureColumn}' to be a vector column.");
        if (features.Nulls is not null)
        {
            throw new ArgumentException($"torch needs '{spec.FeatureColumn}' without nulls ({features.CountNulls()} training rows have none).");
        }

        long[]? classes = null;
        float[]? targets = null;
        var classCount = 0;
        if (spec.Task == "regression")
        {
            targets = Array.ConvertAll(((Float64Column)ColumnCast.Cast(train[spec.LabelColumn], ColumnType.Float64)).Values.ToArray(), v => (float)v);
        }
        else
        {
            classes = (train[spec.LabelColumn] as Int64Column ?? throw new ArgumentException($"torch classification needs '{spec.LabelColumn}' to be an int64 label (use to_key on text labels)."))
                .Values.ToArray();
            classCount = spec.Task == "binary" ? 2 : await TrainerData.ClassCountAsync(context, ((Int64Column)evalLabels).UnsafeArray);
            var outside = Array.FindIndex(classes, c => c < 0 || c >= classCount);
            if (outside >= 0)
            {
                throw new ArgumentException($"torch {spec.Task}: training row {outside + 1} has label {classes[outside]}, outside 0..{classCount - 1}.");
            }
        }

        var network = TorchNetworkSpec.FromParameters(context.Request.Params, spec.Task, features.Dimension, classCount);
        var options = TorchTrainingOptions.FromParameters(context.Request.Params, spec.Seed);
        var modelPath = context.ArtifactPath("model.torch");
        using var model = TorchNetworks.Build(network, spec.Seed);
        EvalScores? evaluation = null;
        await TorchTraining.TrainAsync(model, network, options, features.UnsafeArray, classes, targets, async epoch =>
        {
            model.eval();
            evaluation = await EvaluateAsync(context, model, network, evalFeatures, evalLabels);
            var metrics = new Dictionary<string, double>(evaluation.Metrics)
            {
                ["loss"] = epoch.Loss,
                ["learning_rate"] = epoch.LearningRate,
                ["samples_per_second"] = epoch.SamplesPerSecond,
                ["epoch"] = epoch.Epoch,
            };
            await context.Metrics.LogAsync(epoch.Epoch, metrics, context.CancellationToken);
            await context.Metrics.FlushAsync(context.CancellationToken);
            await context.Store.WriteAsync(modelPath, new MemoryStream(TorchModelFile.Write(network, model)), ArtifactWriteCondition.None, context.CancellationToken);
        }, context.CancellationToken);

        var final = evaluation!.Metrics;
        final["epochs"] = options.Epochs;
        var artifacts = new Dictionary<string, string> { ["model"] = modelPath };
        await evaluation.AddConfusionAsync(context, artifacts);
        return new RunOutcome(final, artifacts);
    }

    private static Task<EvalScores> EvaluateAsync(RunContext context, TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> model, TorchNetworkSpec network, VectorColumn features, Column labels)
    {
        var rows = features.Length;
        var predicted = new long[rows];
        var scores = new float[rows * (network.Task == "multiclass" ? network.Outputs : 1)];
        TorchTraining.Predict(model, network, features.Values, predicted, scores);
        return MlNetRunTrainer.ScoreAsync(context, network.Task, labels, predicted, scores);
    }

    private static int StandInDimension(IReadOnlyDictionary<string, string> parameters)
    {
        var sides = parameters.TryGetValue("image", out var image) ? image.Split('x') : [];
        return sides.Length == 3 && sides.All(s => int.TryParse(s, out var n) && n is >= 1 and <= 4096) ? sides.Aggregate(1, (size, s) => size * int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)) : 28 * 28;
    }
}
