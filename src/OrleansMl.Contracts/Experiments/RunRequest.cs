namespace OrleansMl.Experiments;

/// <summary>What a run trains: the experiment's spec (versions pinned), this run's parameters and the fitted feature steps.</summary>
[GenerateSerializer, Immutable, Alias("orleansml.RunRequest")]
public sealed record RunRequest(
    [property: Id(0)] string Experiment,
    [property: Id(1)] int Index,
    [property: Id(2)] ExperimentSpec Spec,
    [property: Id(3)] IReadOnlyDictionary<string, string> Params,
    [property: Id(4)] Pipelines.ModelPipeline? Pipeline = null);
