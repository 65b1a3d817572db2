namespace OrleansMl.Client;

/// <summary>The fitted feature steps a model carries (see docs/pipelines.md).</summary>
/// <param name="Inputs">The raw columns a record carries.</param>
/// <param name="Steps">The steps with their fitted statistics and categories.</param>
/// <param name="Classes">Classifiers: the class values in class-index order, as text.</param>
public sealed record ModelPipeline(
    IReadOnlyList<DatasetColumn> Inputs,
    IReadOnlyList<TransformStep> Steps,
    string FeatureColumn,
    string LabelColumn,
    string LabelType,
    IReadOnlyList<string>? Classes);
