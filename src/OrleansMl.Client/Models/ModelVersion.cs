namespace OrleansMl.Client;

/// <summary>One registered model version.</summary>
/// <param name="Flavor">knn, linear, mlnet, ensemble or onnx.</param>
/// <param name="Inputs">The signature a request must match: the raw columns when the version has a <paramref name="Pipeline"/>, else one feature vector.</param>
/// <param name="Outputs"><c>label</c> (with <c>class</c> through a pipeline) and <c>scores</c> for classifiers, <c>prediction</c> for regression.</param>
/// <param name="Pipeline">The fitted feature steps the version applies to raw records.</param>
/// <param name="CreatedBy">The name of the API key that registered it.</param>
public sealed record ModelVersion(
    int Version,
    string Flavor,
    string ArtifactPath,
    IReadOnlyList<DatasetColumn> Inputs,
    IReadOnlyList<DatasetColumn> Outputs,
    ModelLineage? Lineage,
    IReadOnlyDictionary<string, double> Metrics,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    ModelPipeline? Pipeline = null);
