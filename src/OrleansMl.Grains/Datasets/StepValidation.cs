using OrleansMl.Data.Schema;

namespace OrleansMl.Datasets;

/// <summary>
/// Checks steps against a schema before any partition works: steps that need statistics are bound
/// with placeholder statistics of the right shape, so shape and type errors surface at once.
/// </summary>
public static class StepValidation
{
    /// <returns>The schema the steps produce.</returns>
    /// <exception cref="ArgumentException">A step is malformed or does not fit; the message names the step.</exception>
    public static DatasetSchema Validate(IReadOnlyList<TransformStep> steps, DatasetSchema input, PartitionTransformRegistry udfs)
    {
        var schema = input;
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i] ?? throw FieldError.Invalid($"steps[{i}] is empty.", "steps");
            if (!StepCompiler.Ops.Contains(step.Op))
            {
                throw FieldError.Invalid($"steps[{i}]: unknown op '{step.Op}'. Ops: {string.Join(", ", StepCompiler.Ops)}.", "steps");
            }

            var bound = StepCompiler.NeedsResolution(step) ? Placeholder(step, schema, i) : step;
            schema = StepCompiler.Compile([bound], schema, udfs, firstStep: i).Output;
        }

        return schema;
    }

    private static TransformStep Placeholder(TransformStep step, DatasetSchema schema, int index)
    {
        if (step.Op != StepCompiler.Normalize)
        {
            return step with { Resolved = StepCompiler.ResolveCategories(["placeholder"]) };
        }

        if (step.Columns is not { Count: > 0 } columns)
        {
            throw FieldError.Invalid($"steps[{index}]: normalize needs 'columns'.", "steps");
        }

        var statistics = new Dictionary<string, (double[], double[])>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            var length = schema.IndexOf(column) is >= 0 and var c
                ? Math.Max(1, schema[c].VectorLength)
                : throw FieldError.Invalid($"steps[{index}]: normalize: unknown column '{column}'. Columns: {string.Join(", ", schema.Columns.Select(s => s.Name))}.", "steps");
            statistics[column] = (new double[length], Enumerable.Repeat(1.0, length).ToArray());
        }

        return step with { Resolved = StepCompiler.ResolveNormalize(step.Method ?? "minmax", statistics) };
    }
}
