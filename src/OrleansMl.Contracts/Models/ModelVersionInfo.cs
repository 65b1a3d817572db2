using OrleansMl.Datasets;

namespace OrleansMl.Models;

/// <summary>One registered version: the model artifact, its flavour, signature, lineage and metrics.</summary>
/// <param name="Flavor">knn, linear, mlnet, ensemble or onnx.</param>
/// <param name="Inputs">The columns a prediction request carries: the raw columns when the version has a pipeline, else its feature vector.</param>
/// <param name="Pipeline">The fitted feature steps and classes the version applies to raw records; null for versions trained on vectors.</param>
/// <param name="Outputs">What a prediction returns.</param>
[GenerateSerializer, Immutable, Alias("orleansml.ModelVersionInfo")]
public sealed record ModelVersionInfo(
    [property: Id(0)] int Version,
    [property: Id(1)] string Flavor,
    [property: Id(2)] string ArtifactPath,
    [property: Id(3)] IReadOnlyList<DatasetColumn> Inputs,
    [property: Id(4)] IReadOnlyList<DatasetColumn> Outputs,
    [property: Id(5)] ModelLineage Lineage,
    [property: Id(6)] IReadOnlyDictionary<string, double> Metrics,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] string CreatedBy,
    [property: Id(9)] Pipelines.ModelPipeline? Pipeline = null);
