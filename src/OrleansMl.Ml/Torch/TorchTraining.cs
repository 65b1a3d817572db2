using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace OrleansMl.Ml.Torch;

/// <summary>How a torch network is trained: epochs, batch size, optimiser, learning-rate schedule, augmentation, seed.</summary>
public sealed record TorchTrainingOptions(
    int Epochs,
    int BatchSize,
    string Optimizer,
    double Momentum,
    double WeightDecay,
    LearningRateSchedule Schedule,
    bool Augment,
    long Seed,
    bool Shuffle = true)
{
    public static readonly string[] Optimizers = ["sgd", "adam", "adamw"];

    /// <summary>
    /// From a run's parameters: <c>epochs</c> (10), <c>batch_size</c> (64), <c>optimizer</c> (adam; sgd, adamw),
    /// <c>lr</c> (0.001 for Adam, 0.01 for SGD), <c>momentum</c> (0.9, SGD), <c>weight_decay</c> (0; AdamW 0.01),
    /// <c>schedule</c> (constant; step, cosine), <c>step_size</c> (epochs/3, at least 1), <c>gamma</c> (0.1),
    /// <c>warmup_epochs</c> (0), <c>augment</c> (none; crop_flip for images), <c>shuffle</c> (true: each epoch visits
    /// the rows in a new order drawn from the seed; false: in their order, as when checking one result against another).
    /// </summary>
    /// <exception cref="ArgumentException">A parameter is not valid; the message names it.</exception>
    public static TorchTrainingOptions FromParameters(IReadOnlyDictionary<string, string> parameters, long seed)
    {
        var epochs = Whole(parameters, "epochs", 10, 1, 10_000);
        var batch = Whole(parameters, "batch_size", 64, 1, 65_536);
        var optimizer = parameters.TryGetValue("optimizer", out var o) ? o : "adam";
        if (!Optimizers.Contains(optimizer))
        {
            throw new ArgumentException($"params.optimizer must be one of {string.Join(", ", Optimizers)}; got '{optimizer}'.");
        }

        var rate = Number(parameters, "lr", optimizer == "sgd" ? 0.01 : 0.001, 1e-9, 10);
        var momentum = Number(parameters, "momentum", optimizer == "sgd" ? 0.9 : 0, 0, 0.999);
        var decay = Number(parameters, "weight_decay", optimizer == "adamw" ? 0.01 : 0, 0, 1);
        var kind = parameters.TryGetValue("schedule", out var k) ? k : "constant";
        if (!LearningRateSchedule.Kinds.Contains(kind))
        {
            throw new ArgumentException($"params.schedule must be one of {string.Join(", ", LearningRateSchedule.Kinds)}; got '{kind}'.");
        }

        var step = Whole(parameters, "step_size", Math.Max(1, epochs / 3), 1, 10_000);
        var gamma = Number(parameters, "gamma", 0.1, 1e-6, 1);
        var warmup = Number(parameters, "warmup_epochs", 0, 0, epochs);
        var augment = parameters.TryGetValue("augment", out var a) ? a : "none";
        if (augment is not ("none" or "crop_flip"))
        {
            throw new ArgumentException($"params.augment must be none or crop_flip; got '{augment}'.");
        }

        var shuffle = parameters.TryGetValue("shuffle", out var sh) ? sh : "true";
        if (shuffle is not ("true" or "false"))
        {
            throw new ArgumentException($"params.shuffle must be true or false; got '{shuffle}'.");
        }

        return new TorchTrainingOptions(epochs, batch, optimizer, momentum, decay, new LearningRateSchedule(kind, rate, epochs, step, gamma, warmup), augment == "crop_flip", seed, shuffle == "true");
    }

    private static int Whole(IReadOnlyDictionary<string, string> parameters, string name, int fallback, int min, int max) =>
        !parameters.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value
        : throw new ArgumentException($"params.{name} must be a whole number from {min} to {max}; got '{text}'.");

    private static double Number(IReadOnlyDictionary<string, string> parameters, string name, double fallback, double min, double max) =>
        !parameters.TryGetValue(name, out var text) ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value
        : throw new ArgumentException($"params.{name} must be a number from {min} to {max}; got '{text}'.");
}

/// <summary>What one epoch did: mean training loss, the learning rate at its end, throughput.</summary>
public sealed record TorchEpoch(int Epoch, double Loss, double LearningRate, double SamplesPerSecond, long Steps);

/// <summary>
/// Trains a network on rows held in memory: each epoch visits the rows in an order drawn from the seed,
/// in batches; each step sets the scheduled learning rate, runs forward and backward and steps the
/// optimiser. Classes are int64 labels 0..n-1 (cross-entropy), binary labels 0/1 (logistic loss on one
/// logit), regression targets any number (squared error).
/// </summary>
public static class TorchTraining
{
    /// <summary>
    /// Trains from the first epoch, or goes on from <paramref name="resume"/> (an epoch's end: its weights, optimiser
    /// state and step) when given. Every epoch ends with <paramref name="onEpoch"/> (metrics, evaluation, checkpoints:
    /// it also gets the optimiser's state), whose false ends the training there (an early stop). Each epoch's row order is drawn
    /// from the seed and the epoch, so without dropout a resumed run trains exactly as one that never stopped.
    /// </summary>
    /// <exception cref="InvalidDataException">The checkpoint does not fit this network and optimiser.</exception>
    public static async Task TrainAsync(
        nn.Module<Tensor, Tensor> network,
        TorchNetworkSpec spec,
        TorchTrainingOptions options,
        float[] features,
        long[]? classes,
        float[]? targets,
        TorchCheckpoint? resume,
        Func<TorchEpoch, Func<byte[]>, Task<bool>> onEpoch,
        CancellationToken cancellationToken)
    {
        var rows = (classes?.Length ?? targets?.Length) ?? throw new ArgumentException("Training needs classes or targets.");
        if (features.Length != (long)rows * spec.InputDimension)
        {
            throw new ArgumentException($"{features.Length} feature values are not {rows} rows of {spec.InputDimension}.");
        }

        if (rows == 0)
        {
            throw new ArgumentException("There are no training rows.");
        }

        using var optimizer = CreateOptimizer(network, options);
        var stepsPerEpoch = (rows + options.BatchSize - 1) / options.BatchSize;
        long step = 0;
        var first = 0;
        if (resume is not null)
        {
            TorchModelFile.ReadWeightsInto(resume.Model, network);
            LoadOptimizer(optimizer, resume.Optimizer, options.Optimizer);
            (first, step) = (resume.Epoch, resume.Step);
        }

        for (var epoch = first; epoch < options.Epochs; epoch++)
        {
            var started = Stopwatch.GetTimestamp();
            var (loss, rate) = await LongWork.Run(() => RunEpoch(network, spec, options, optimizer, features, classes, targets, epoch, ref step, stepsPerEpoch, cancellationToken), cancellationToken);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (!await onEpoch(new TorchEpoch(epoch + 1, loss, rate, rows / Math.Max(seconds, 1e-9), step), () => SaveOptimizer(optimizer)))
            {
                return;
            }
        }
    }

    /// <summary>An optimiser's state (momentum, Adam's moments, its step counts) in TorchSharp's format.</summary>
    internal static byte[] SaveOptimizer(optim.Optimizer optimizer)
    {
        using var bytes = new MemoryStream();
        using (var writer = new BinaryWriter(bytes, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(writer);
        }

        return bytes.ToArray();
    }

    /// <exception cref="InvalidDataException">The state is not one of this optimiser's.</exception>
    internal static void LoadOptimizer(optim.Optimizer optimizer, byte[] state, string kind)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(state, writable: false));
            ((TorchSharp.Modules.OptimizerHelper)optimizer).load_state_dict(reader);
        }
        catch (Exception e) when (e is ArgumentException or EndOfStreamException or IOException)
        {
            throw new InvalidDataException($"the optimiser state does not fit this {kind} optimiser ({e.Message}).", e);
        }
    }

    internal static optim.Optimizer CreateOptimizer(nn.Module<Tensor, Tensor> network, TorchTrainingOptions options)
    {
        var rate = options.Schedule.BaseRate;
        return options.Optimizer switch
        {
            "sgd" => optim.SGD(network.parameters(), rate, momentum: options.Momentum, weight_decay: options.WeightDecay),
            "adamw" => optim.AdamW(network.parameters(), rate, weight_decay: options.WeightDecay),
            _ => optim.Adam(network.parameters(), rate, weight_decay: options.WeightDecay),
        };
    }

    private static (double Loss, double Rate) RunEpoch(
        nn.Module<Tensor, Tensor> network, TorchNetworkSpec spec, TorchTrainingOptions options, optim.Optimizer optimizer,
        float[] features, long[]? classes, float[]? targets, int epoch, ref long step, int stepsPerEpoch, CancellationToken cancellationToken)
    {
        network.train();
        var rows = classes?.Length ?? targets!.Length;
        var order = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            order[i] = i;
        }

        var random = new Random(TorchSeeds.Mix(options.Seed, epoch));
        if (options.Shuffle)
        {
            random.Shuffle(order);
        }
        var dimension = spec.InputDimension;
        var batch = new float[options.BatchSize * dimension];
        var batchClasses = new long[options.BatchSize];
        var batchTargets = new float[options.BatchSize];
        double lossSum = 0;
        var rate = 0.0;
        for (var start = 0; start < rows; start += options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(options.BatchSize, rows - start);
            Gather(features, classes, targets, order.AsSpan(start, count), dimension, batch, batchClasses, batchTargets);

            if (options.Augment && spec.IsConvolutional)
            {
                ImageAugmentation.CropAndFlip(batch.AsSpan(0, count * dimension), spec.Channels, spec.Height, spec.Width, random);
            }

            rate = options.Schedule.At(step, stepsPerEpoch);
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = rate;
            }

            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var input = tensor(batch.AsSpan(0, count * dimension).ToArray(), [count, dimension]);
            var output = network.forward(input);
            var loss = Loss(spec.Task, output, classes is null ? tensor(batchTargets.AsSpan(0, count).ToArray()) : tensor(batchClasses.AsSpan(0, count).ToArray()));
            loss.backward();
            optimizer.step();
            lossSum += loss.item<float>() * count;
            step++;
        }

        return (lossSum / rows, rate);
    }

    /// <summary>Copies the features and the label of each of <paramref name="rows"/> to the front of the batch buffers.</summary>
    internal static void Gather(float[] features, long[]? classes, float[]? targets, ReadOnlySpan<int> rows, int dimension, Span<float> batch, Span<long> batchClasses, Span<float> batchTargets)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            features.AsSpan(row * dimension, dimension).CopyTo(batch.Slice(i * dimension, dimension));
            if (classes is not null)
            {
                batchClasses[i] = classes[row];
            }
            else
            {
                batchTargets[i] = targets![row];
            }
        }
    }

    internal static Tensor Loss(string task, Tensor output, Tensor target) => task switch
    {
        "multiclass" => nn.functional.cross_entropy(output, target),
        "binary" => nn.functional.binary_cross_entropy_with_logits(output.squeeze(1), target.to_type(ScalarType.Float32)),
        _ => nn.functional.mse_loss(output.squeeze(1), target),
    };

    /// <summary>
    /// Predictions for row-major <paramref name="features"/> in evaluation mode without gradients, 1,024 rows at
    /// a time: classes and softmax probabilities (multiclass), the class and the probability of 1 (binary), or
    /// values (regression, <paramref name="labels"/> left alone).
    /// </summary>
    public static void Predict(nn.Module<Tensor, Tensor> network, TorchNetworkSpec spec, ReadOnlySpan<float> features, Span<long> labels, Span<float> scores)
    {
        var dimension = spec.InputDimension;
        var rows = features.Length / dimension;
        var width = spec.Task == "multiclass" ? spec.Outputs : 1;
        for (var start = 0; start < rows; start += 1024)
        {
            var count = Math.Min(1024, rows - start);
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var output = network.forward(tensor(features.Slice(start * dimension, count * dimension).ToArray(), [count, dimension]));
            var values = spec.Task switch
            {
                "multiclass" => nn.functional.softmax(output, 1),
                "binary" => output.sigmoid(),
                _ => output,
            };
            values.data<float>().ToArray().AsSpan().CopyTo(scores.Slice(start * width, count * width));
            if (spec.Task == "multiclass")
            {
                output.argmax(1).data<long>().ToArray().AsSpan().CopyTo(labels.Slice(start, count));
            }
            else if (spec.Task == "binary")
            {
                for (var i = 0; i < count; i++)
                {
                    labels[start + i] = scores[start + i] >= 0.5f ? 1 : 0;
                }
            }
        }
    }
}
