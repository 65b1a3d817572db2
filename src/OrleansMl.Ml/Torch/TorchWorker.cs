using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OrleansMl.Ml.Torch;

/// <summary>
/// One replica of synchronous data-parallel training (PyTorch DDP's semantics): it holds the network and
/// its optimiser, and its own rows. Each step it computes the gradient of the mean loss over its next batch
/// (<see cref="ComputeGradient"/>), the coordinator averages every replica's gradients weighted by their
/// batch rows, and each replica applies that same average with the same optimiser
/// (<see cref="ApplyGradient"/>) — so all replicas hold the same weights after every step, and N replicas
/// with batch b take the steps one process takes with batch N·b over the union of their batches.
/// </summary>
public sealed class TorchWorker : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _network;
    private readonly optim.Optimizer _optimizer;
    private readonly Parameter[] _parameters;
    private readonly float[] _features;
    private readonly long[]? _classes;
    private readonly float[]? _targets;
    private readonly int _salt;
    private (int Epoch, int[] Order)? _order;

    /// <param name="salt">Makes this replica's row order its own (its partition index).</param>
    public TorchWorker(TorchNetworkSpec spec, TorchTrainingOptions options, float[] features, long[]? classes, float[]? targets, int salt)
    {
        Spec = spec;
        Options = options;
        _features = features;
        _classes = classes;
        _targets = targets;
        _salt = salt;
        Rows = classes?.Length ?? targets?.Length ?? 0;
        _network = TorchNetworks.Build(spec, options.Seed);
        _optimizer = TorchTraining.CreateOptimizer(_network, options);
        _parameters = [.. _network.parameters()];
        ParameterCount = checked((int)_parameters.Sum(p => p.numel()));
    }

    public TorchNetworkSpec Spec { get; }

    public TorchTrainingOptions Options { get; }

    /// <summary>This replica's rows.</summary>
    public int Rows { get; }

    /// <summary>The length of a flat gradient: every parameter's values, in the network's order.</summary>
    public int ParameterCount { get; }

    /// <summary>
    /// The gradient of the mean loss over batch <paramref name="index"/> of epoch <paramref name="epoch"/> of
    /// this replica's rows (rows index·b … index·b+b−1 of the epoch's order), flattened; with the batch's row
    /// count and loss sum. A replica whose rows are used up this epoch answers zero rows.
    /// </summary>
    public (float[] Gradient, int Rows, double LossSum) ComputeGradient(int epoch, int index)
    {
        var batch = Options.BatchSize;
        var start = (long)index * batch;
        var count = (int)Math.Clamp(Rows - start, 0, batch);
        var gradient = new float[ParameterCount];
        if (count == 0)
        {
            return (gradient, 0, 0);
        }

        var order = Order(epoch);
        var dimension = Spec.InputDimension;
        var rows = new float[count * dimension];
        var classes = _classes is null ? null : new long[count];
        var targets = _targets is null ? null : new float[count];
        TorchTraining.Gather(_features, _classes, _targets, order.AsSpan((int)start, count), dimension, rows, classes, targets);

        if (Options.Augment && Spec.IsConvolutional)
        {
            ImageAugmentation.CropAndFlip(rows, Spec.Channels, Spec.Height, Spec.Width, new Random(TorchSeeds.Mix(Options.Seed, epoch, index, _salt)));
        }

        _network.train();
        using var scope = NewDisposeScope();
        _optimizer.zero_grad();
        var output = _network.forward(tensor(rows, [count, dimension]));
        var loss = TorchTraining.Loss(Spec.Task, output, classes is null ? tensor(targets!) : tensor(classes));
        loss.backward();
        var offset = 0;
        foreach (var parameter in _parameters)
        {
            var values = parameter.grad is { } grad ? grad.data<float>().ToArray() : new float[parameter.numel()];
            values.CopyTo(gradient, offset);
            offset += values.Length;
        }

        return (gradient, count, loss.item<float>() * (double)count);
    }

    /// <summary>Applies the averaged gradient with the optimiser at the learning rate <paramref name="rate"/>.</summary>
    public void ApplyGradient(float[] gradient, double rate)
    {
        if (gradient.Length != ParameterCount)
        {
            throw new ArgumentException($"A gradient of {gradient.Length} values does not fit {ParameterCount} parameters.", nameof(gradient));
        }

        foreach (var group in _optimizer.ParamGroups)
        {
            group.LearningRate = rate;
        }

        using var scope = NewDisposeScope();
        var all = tensor(gradient);
        var offset = 0L;
        using (no_grad())
        {
            foreach (var parameter in _parameters)
            {
                var size = parameter.numel();
                var slice = all.narrow(0, offset, size).view(parameter.shape);
                if (parameter.grad is { } grad)
                {
                    grad.copy_(slice);
                }
                else
                {
                    parameter.grad = slice.clone();
                }

                offset += size;
            }
        }

        _optimizer.step();
    }

    /// <summary>The network as a model file (weights and buffers: batch-norm statistics are this replica's, as DDP keeps rank 0's).</summary>
    public byte[] ModelFile()
    {
        _network.eval();
        return TorchModelFile.Write(Spec, _network);
    }

    /// <summary>The optimiser's state (TorchSharp's format), for a checkpoint.</summary>
    public byte[] OptimizerState() => TorchTraining.SaveOptimizer(_optimizer);

    /// <summary>Takes the weights and optimiser state of a checkpoint (every replica restarted from one holds the same again).</summary>
    /// <exception cref="InvalidDataException">The state does not fit this network and optimiser.</exception>
    public void Restore(byte[] model, byte[] optimizer)
    {
        TorchModelFile.ReadWeightsInto(model, _network);
        TorchTraining.LoadOptimizer(_optimizer, optimizer, Options.Optimizer);
    }

    /// <summary>The current weights, flattened in the network's order (for tests and checks that replicas agree).</summary>
    public float[] Weights()
    {
        var weights = new float[ParameterCount];
        var offset = 0;
        foreach (var parameter in _parameters)
        {
            var values = parameter.data<float>().ToArray();
            values.CopyTo(weights, offset);
            offset += values.Length;
        }

        return weights;
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _network.Dispose();
    }

    private int[] Order(int epoch)
    {
        if (_order is { } cached && cached.Epoch == epoch)
        {
            return cached.Order;
        }

        var order = new int[Rows];
        for (var i = 0; i < Rows; i++)
        {
            order[i] = i;
        }

        if (Options.Shuffle)
        {
            new Random(TorchSeeds.Mix(Options.Seed, epoch, -1, _salt)).Shuffle(order);
        }

        _order = (epoch, order);
        return order;
    }
}
