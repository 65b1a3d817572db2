namespace OrleansMl.Experiments;

/// <summary>What a run trains: the experiment's spec (versions pinned) and this run's parameters.</summary>
[GenerateSerializer, Immutable, Alias("orleansml.RunRequest")]
public sealed record RunRequest(
    [property: Id(0)] string Experiment,
    [property: Id(1)] int Index,
    [property: Id(2)] ExperimentSpec Spec,
    [property: Id(3)] IReadOnlyDictionary<string, string> Params);
