namespace OrleansMl.Datasets;

/// <summary>A transformed dataset version whose resolved steps are to be applied again (<see cref="Version"/> null: the latest).</summary>
[GenerateSerializer, Immutable, Alias("orleansml.StepSource")]
public sealed record StepSource(
    [property: Id(0)] string Dataset,
    [property: Id(1)] int? Version = null);
