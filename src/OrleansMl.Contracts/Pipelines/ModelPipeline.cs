using OrleansMl.Datasets;

namespace OrleansMl.Pipelines;

/// <summary>
/// The fitted feature steps a model carries from its run to every row it scores, as Spark ML's
/// PipelineModel or an sklearn Pipeline: fitted on the run's training rows only, applied unchanged
/// to the evaluation rows, to raw records at an endpoint and to datasets scored in batch.
/// </summary>
/// <param name="Inputs">The raw columns a record carries: those the steps read (the label is never one).</param>
/// <param name="Steps">The resolved feature steps (statistics and category lists filled in), in order.</param>
/// <param name="FeatureColumn">The vector column the steps produce and the model reads.</param>
/// <param name="LabelColumn">The raw label column the model was trained to predict.</param>
/// <param name="LabelType">The raw label's type (int64, string, boolean, ...), so answers come back in it.</param>
/// <param name="Classes">Classifiers: the class values in class-index order, as text; null for regression.</param>
/// <param name="Image">When an input holds the pixels of an image-folder import: how images were decoded, so endpoints take image files.</param>
[GenerateSerializer, Immutable, Alias("orleansml.ModelPipeline")]
public sealed record ModelPipeline(
    [property: Id(0)] IReadOnlyList<DatasetColumn> Inputs,
    [property: Id(1)] IReadOnlyList<TransformStep> Steps,
    [property: Id(2)] string FeatureColumn,
    [property: Id(3)] string LabelColumn,
    [property: Id(4)] string LabelType,
    [property: Id(5)] IReadOnlyList<string>? Classes,
    [property: Id(6)] ImageInput? Image = null);
