namespace OrleansMl.Torch;

/// <summary>
/// Starts (or starts again) a data-parallel torch replica of run <see cref="Run"/> on a partition grain, over
/// that partition's rows: the network and optimiser from the run's parameters, the weights from its seed, so
/// every replica begins with the same ones.
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
    [property: Id(7)] int Partition);

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
