namespace OrleansMl.Datasets;

/// <summary>
/// Something that read a version of a dataset, kept by that dataset for its lineage graph: a dataset version derived
/// from it (a transform, split, scoring or SQL result), an experiment that trained on it, or a model version trained on it.
/// </summary>
/// <param name="Kind"><see cref="DatasetKind"/>, <see cref="ExperimentKind"/> or <see cref="ModelKind"/>.</param>
/// <param name="Name">The dataset, experiment or model.</param>
/// <param name="Version">The derived dataset's or the model's version; null for an experiment.</param>
/// <param name="DatasetVersion">The version of this dataset it read.</param>
/// <param name="Operation">How a derived dataset was made (transform, split, score, sql); null otherwise.</param>
[GenerateSerializer, Immutable, Alias("orleansml.DatasetUse")]
public sealed record DatasetUse(
    [property: Id(0)] string Kind,
    [property: Id(1)] string Name,
    [property: Id(2)] int? Version,
    [property: Id(3)] int DatasetVersion,
    [property: Id(4)] string? Operation,
    [property: Id(5)] DateTimeOffset At)
{
    public const string DatasetKind = "dataset";
    public const string ExperimentKind = "experiment";
    public const string ModelKind = "model";
}
