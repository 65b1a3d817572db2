using OrleansMl.Data.Schema;
using OrleansMl.Datasets;
using OrleansMl.Experiments;

namespace OrleansMl.Pipelines;

/// <summary>
/// Checks an experiment's feature steps against the raw training columns before any work, and finds
/// the raw columns they read: those a record sent to the model must carry.
/// </summary>
public static class PipelineCheck
{
    /// <summary>Up to this many raw columns, the inputs are exactly the columns the steps read; beyond, all of them.</summary>
    public const int MaxProbedColumns = 2_000;

    /// <returns>The raw input columns the steps read, in the dataset's order, and the raw label column.</returns>
    /// <exception cref="ArgumentException">The steps or the label do not fit; the message names the field.</exception>
    public static (IReadOnlyList<DatasetColumn> Inputs, DatasetColumn Label) Check(ExperimentSpec spec, IReadOnlyList<DatasetColumn> columns, PartitionTransformRegistry udfs)
    {
        var steps = spec.Steps ?? [];
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i]?.Op == StepCompiler.Filter)
            {
                throw FieldError.Invalid($"steps[{i}]: filter changes which rows a model answers for, so it cannot be a feature step; filter the dataset (a transform) before the experiment.", "steps");
            }
        }

        var label = columns.FirstOrDefault(c => c.Name == spec.LabelColumn)
            ?? throw FieldError.Invalid($"train has no column '{spec.LabelColumn}'. Columns: {string.Join(", ", columns.Select(c => c.Name))}.", "labelColumn");
        var labelType = SchemaJson.ParseType(label.Type);
        if (labelType == ColumnType.Vector || (spec.Task == "regression" && labelType is not (ColumnType.Int64 or ColumnType.Float64 or ColumnType.Boolean)))
        {
            throw FieldError.Invalid($"The label '{label.Name}' is {label.Type}; {(spec.Task == "regression" ? "regression needs numbers" : "a class label is one value per row, not a vector")}.", "labelColumn");
        }

        var raw = columns.Where(c => c.Name != label.Name).ToList();
        DatasetSchema output;
        try
        {
            output = StepValidation.Validate(steps, RowJson.Schema(raw), udfs);
        }
        catch (ArgumentException) when (Binds(steps, columns, udfs))
        {
            throw FieldError.Invalid($"The steps read the label column '{label.Name}'; features cannot depend on the label (a record sent to the model has none).", "steps");
        }

        if (output.IndexOf(spec.FeatureColumn) is not (>= 0 and var feature) || output[feature].Type != ColumnType.Vector)
        {
            throw FieldError.Invalid($"The steps must produce the vector column '{spec.FeatureColumn}' (end them with assemble); they produce: {string.Join(", ", output.Columns)}.", "featureColumn");
        }

        // A raw column is an input when the steps do not bind without it. Each probe binds every step
        // once, so past MaxProbedColumns (quadratic work) every raw column is an input instead.
        var inputs = raw.Count > MaxProbedColumns ? raw : raw.Where(column => !Binds(steps, [.. raw.Where(c => c != column)], udfs)).ToList();
        return (inputs, label);
    }

    /// <summary>Checks that the evaluation set has the label and every input, with the training set's types.</summary>
    public static void CheckEval(IReadOnlyList<DatasetColumn> eval, IReadOnlyList<DatasetColumn> inputs, DatasetColumn label)
    {
        foreach (var needed in inputs.Append(label))
        {
            var column = eval.FirstOrDefault(c => c.Name == needed.Name);
            if (column is null || !SameKind(column, needed))
            {
                throw FieldError.Invalid(
                    $"eval needs the column '{needed.Name}' as {Describe(needed)}, as the training set has it; it has {(column is null ? "no such column" : Describe(column))}.", "eval");
            }
        }
    }

    /// <summary>
    /// Whether a column can stand for another: the same type and length, where text is text whether
    /// an import inferred it as string or as categorical (that depends on how many distinct values a file has).
    /// </summary>
    public static bool SameKind(DatasetColumn column, DatasetColumn needed) =>
        column.VectorLength == needed.VectorLength
        && (column.Type == needed.Type || (IsText(column.Type) && IsText(needed.Type)));

    private static bool IsText(string type) => type is "string" or "categorical";

    private static string Describe(DatasetColumn column) => column.VectorLength > 0 ? $"{column.Type}[{column.VectorLength}]" : column.Type;

    private static bool Binds(IReadOnlyList<TransformStep> steps, IReadOnlyList<DatasetColumn> columns, PartitionTransformRegistry udfs)
    {
        try
        {
            StepValidation.Validate(steps, RowJson.Schema(columns), udfs);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// For experiments on prepared vectors: refuses a training and an evaluation set whose label
    /// columns were keyed by to_key over different class lists, where class 2 of one would be scored
    /// as class 2 of the other (each dataset numbered its own classes).
    /// </summary>
    public static async Task CheckLabelKeysAsync(IGrainFactory grains, string label, DatasetVersionInfo train, DatasetVersionInfo eval)
    {
        var trainKeys = await LabelKeysAsync(grains, label, train);
        var evalKeys = await LabelKeysAsync(grains, label, eval);
        if (trainKeys is not null && evalKeys is not null && trainKeys != evalKeys)
        {
            throw FieldError.Invalid(
                $"The training and evaluation sets key the label '{label}' differently (to_key over {trainKeys} and over {evalKeys}), so their class numbers do not mean the same classes. "
                + "Give the raw data and the steps in the experiment's 'steps' (fitted on the training rows, applied to both), or make the evaluation set with the training set's steps (a transform with 'from').",
                "eval");
        }
    }

    /// <summary>The category list (as JSON) of the to_key step that made the label column; null when none did.</summary>
    private static async Task<string?> LabelKeysAsync(IGrainFactory grains, string label, DatasetVersionInfo version) =>
        (await FindStepAsync(grains, version, s => s.Op == StepCompiler.ToKey && StepCompiler.CategoricalOutput(s) == label))?.Resolved?.GetValueOrDefault("categories");

    /// <summary>How the version's image column was decoded at import, when it comes from an image import.</summary>
    public static async Task<ImageInput?> ImageOfAsync(IGrainFactory grains, DatasetVersionInfo version) =>
        await FindStepAsync(grains, version, s => s.Op == DatasetImporter.DecodeImages) is { Column: { } column, Args: { } args }
            ? new ImageInput(column, Number(args, "width"), Number(args, "height"), Number(args, "channels"))
            : null;

    private static int Number(IReadOnlyDictionary<string, string> args, string name) => int.Parse(args[name], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The latest step that matches, following the lineage up to 32 versions back.</summary>
    private static async Task<TransformStep?> FindStepAsync(IGrainFactory grains, DatasetVersionInfo version, Func<TransformStep, bool> match)
    {
        for (var depth = 0; depth < 32; depth++)
        {
            var lineage = version.Lineage;
            if (lineage.Steps.LastOrDefault(match) is { } step)
            {
                return step;
            }

            if (lineage.ParentDataset is not { } parent || lineage.ParentVersion is not { } number
                || (await grains.GetGrain<IDatasetGrain>(parent).GetAsync())?.Versions.FirstOrDefault(v => v.Version == number) is not { } next)
            {
                return null;
            }

            version = next;
        }

        return null;
    }
}
