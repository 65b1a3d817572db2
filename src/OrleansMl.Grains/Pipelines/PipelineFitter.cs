using System.Globalization;
using OrleansMl.Data.Schema;
using OrleansMl.Datasets;
using OrleansMl.Experiments;

namespace OrleansMl.Pipelines;

/// <summary>
/// Fits an experiment's feature steps on its training rows and writes the data every run reads:
/// the training rows through the steps as they are fitted (statistics and categories from those rows
/// only), then the evaluation rows through the same resolved steps, unchanged — no step sees an
/// evaluation row while it fits. The label is keyed by the classes of the training rows (numbers in
/// numeric order, text in ordinal order); an evaluation row of another class gets a null label, which
/// the trainers score as wrong and count as <c>unseen_class_rows</c>. Rows without a label are left out.
/// </summary>
public static class PipelineFitter
{
    /// <summary>At most this many classes (distinct label values) in the training rows.</summary>
    public const int MaxClasses = 10_000;

    /// <returns>The training and evaluation versions the runs read, and the pipeline every run's model carries.</returns>
    public static async Task<(DatasetRef Train, DatasetRef Eval, ModelPipeline Pipeline)> FitAsync(
        IGrainFactory grains, string experiment, ExperimentSpec spec, IReadOnlyList<DatasetColumn> inputs, DatasetColumn label, TimeProvider time)
    {
        var classes = spec.Task == "regression" ? null : await ClassesAsync(grains, spec.Train, label);
        if (spec.Task == "binary" && classes!.Count != 2)
        {
            throw new ArgumentException($"A binary task needs exactly 2 classes in the training rows; '{label.Name}' has {classes.Count} ({string.Join(", ", classes.Take(10))}). Use multiclass.");
        }

        var labelSteps = LabelSteps(label, classes);
        var train = await TransformAsync(grains, $"{experiment}-train", spec.Train, [.. labelSteps, .. spec.Steps!], time);
        var resolved = train.Lineage.Steps;
        CheckFitted(resolved, labelSteps.Count);
        var eval = await TransformAsync(grains, $"{experiment}-test", spec.Eval!, resolved, time);
        var image = await PipelineCheck.ImageOfAsync(grains, await VersionAsync(grains, spec.Train));
        var pipeline = new ModelPipeline(inputs, [.. resolved.Skip(labelSteps.Count)], spec.FeatureColumn, label.Name, label.Type, classes,
            image is not null && inputs.Any(i => i.Name == image.Column && i.VectorLength == image.Width * image.Height * image.Channels) ? image : null);
        return (new DatasetRef($"{experiment}-train", train.Version), new DatasetRef($"{experiment}-test", eval.Version), pipeline);
    }

    /// <summary>Drops rows without a label; for classifiers, keys the label by the training classes.</summary>
    private static List<TransformStep> LabelSteps(DatasetColumn label, IReadOnlyList<string>? classes)
    {
        var steps = new List<TransformStep> { new(StepCompiler.Filter, Expression: $"{Quote(label.Name)} is not null") };
        if (classes is not null)
        {
            if (label.Type is not ("string" or "categorical"))
            {
                steps.Add(new TransformStep(StepCompiler.Cast, Column: label.Name, Type: "string"));
            }

            steps.Add(new TransformStep(StepCompiler.ToKey, Column: label.Name, Resolved: StepCompiler.ResolveCategories(classes)));
        }

        return steps;
    }

    private static async Task<DatasetVersionInfo> VersionAsync(IGrainFactory grains, DatasetRef reference) =>
        (await grains.GetGrain<IDatasetGrain>(reference.Name).GetAsync())!.Versions.First(v => v.Version == reference.Version);

    /// <summary>The distinct label values of the training rows, as text in class order.</summary>
    private static async Task<IReadOnlyList<string>> ClassesAsync(IGrainFactory grains, DatasetRef train, DatasetColumn label)
    {
        var version = await VersionAsync(grains, train);
        IReadOnlyList<TransformStep> asText = label.Type is "string" or "categorical" ? [] : [new TransformStep(StepCompiler.Cast, Column: label.Name, Type: "string")];
        var parts = await Task.WhenAll(DatasetFiles.Partitions(grains, train.Name, version).Select(p => p.DistinctAsync(asText, label.Name, MaxClasses)));
        var values = parts.SelectMany(p => p).Distinct(StringComparer.Ordinal).ToList();
        if (values.Count > MaxClasses)
        {
            throw new ArgumentException($"The label '{label.Name}' has more than {MaxClasses} distinct values in the training rows; that is not a classification label (use regression).");
        }

        return label.Type switch
        {
            "int64" => [.. values.OrderBy(v => long.Parse(v, CultureInfo.InvariantCulture))],
            "float64" => [.. values.OrderBy(v => double.Parse(v, CultureInfo.InvariantCulture))],
            _ => [.. values.Order(StringComparer.Ordinal)],
        };
    }

    private static async Task<DatasetVersionInfo> TransformAsync(IGrainFactory grains, string target, DatasetRef input, IReadOnlyList<TransformStep> steps, TimeProvider time)
    {
        var grain = grains.GetGrain<IDatasetGrain>(target);
        var operation = await grain.StartTransformAsync(new TransformRequest(steps, input.Version, Input: input.Name));
        operation = await grain.WaitUntilFinishedAsync(operation.Id, TimeSpan.FromHours(1), time);
        if (operation?.State != DatasetOperation.Succeeded)
        {
            throw new InvalidOperationException($"Fitting the steps on '{input.Name}' v{input.Version} failed: {operation?.Error}");
        }

        return (await grain.GetAsync())!.Versions.First(v => v.Version == operation.Version);
    }

    /// <summary>Fails a step whose fit found nothing to learn: normalize over a constant column, categories of a column with no values.</summary>
    private static void CheckFitted(IReadOnlyList<TransformStep> resolved, int first)
    {
        for (var i = first; i < resolved.Count; i++)
        {
            var step = resolved[i];
            var failure = step.Op switch
            {
                StepCompiler.Normalize => step.Columns!.FirstOrDefault(c => Constant(step.Resolved![$"{c}.scale"])) is { } column
                    ? $"normalize cannot be fitted: column '{column}' has no spread in the training rows (every value is the same, or none is present)"
                    : null,
                StepCompiler.ToKey or StepCompiler.OneHot when step.Resolved!["categories"] == "[]" =>
                    $"{step.Op} cannot be fitted: column '{step.Column}' has no values in the training rows",
                _ => null,
            };
            if (failure is not null)
            {
                throw new ArgumentException($"steps[{i - first}]: {failure}.");
            }
        }
    }

    /// <summary>Scales of 0 (or not numbers) at every position: the column is constant or empty. A vector with some constant positions (image borders) still fits.</summary>
    private static bool Constant(string scales) =>
        scales.Split(',').All(s => !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) || scale == 0 || !double.IsFinite(scale));

    private static string Quote(string column) => $"\"{column.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
