namespace OrleansMl.Torch;

/// <summary>
/// Starts (or starts again) a data-parallel torch replica of run <see cref="Run"/> on a partition grain, over
/// that partition's rows: the network and optimiser from the run's parameters, the weights from its seed, so
/// every replica begins with the same ones — or, from a checkpoint, the weights of <see cref="Model"/> (a torch
/// model file) and the optimiser state of <see cref="Optimizer"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("orleansml.TorchWorkerStart")]
public sealed record TorchWorkerStart(
    [property: Id(0)] string Run,
    [property: Id(1)] string FeatureColumn,
    [property: Id(2)] string LabelColumn,
    [property: Id(3)] string Task,
    [property: Id(4)] int Classes,
    [property: Id(5)] IReadOnlyDictionary<string, string> Params,
    [property: Id(6)] long Seed,
    [property: Id(7)] int Partition,
    [property: Id(8)] byte[]? Model = null,
    [property: Id(9)] byte[]? Optimizer = null);

/// <summary>
/// One synchronous step of a replica: apply <see cref="Apply"/> (the average of the last step's gradients, when
/// there is one) at <see cref="LearningRate"/>, then compute the gradient of batch <see cref="Batch"/> of epoch
/// <see cref="Epoch"/> (none when <see cref="Batch"/> is −1).
/// </summary>
[GenerateSerializer, Immutable, Alias("orleansml.TorchWorkerStep")]
public sealed record TorchWorkerStep(
    [property: Id(0)] string Run,
    [property: Id(1)] float[]? Apply,
    [property: Id(2)] double LearningRate,
    [property: Id(3)] int Epoch,
    [property: Id(4)] int Batch);

/// <summary>
/// A replica's gradient of the mean loss over its batch (flattened), the batch's rows and its loss sum, and the
/// seconds the replica spent on the step (applying and computing: the rest of a step's time is communication).
/// </summary>
[GenerateSerializer, Immutable, Alias("orleansml.TorchWorkerGradient")]
public sealed record TorchWorkerGradient(
    [property: Id(0)] float[] Gradient,
    [property: Id(1)] int Rows,
    [property: Id(2)] double LossSum,
    [property: Id(3)] double Seconds);

/// <summary>A replica's weights (a torch model file, with its batch-norm statistics) and optimiser state.</summary>
[GenerateSerializer, Immutable, Alias("orleansml.TorchWorkerState")]
public sealed record TorchWorkerState(
    [property: Id(0)] byte[] Model,
    [property: Id(1)] byte[] Optimizer);

/// <summary>A partition grain holds no replica of the run: it was started on an activation that is gone (its silo died, or it was deactivated).</summary>
[GenerateSerializer, Alias("orleansml.TorchReplicaMissingException")]
public sealed class TorchReplicaMissingException : Exception
{
    public TorchReplicaMissingException()
    {
    }

    public TorchReplicaMissingException(string message)
        : base(message)
    {
    }

    public TorchReplicaMissingException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
