using System.Globalization;
using System.Text.Json;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Transforms;

namespace OrleansMl.Datasets;

/// <summary>Turns transform steps from the API into executable operations bound to a schema.</summary>
public static class StepCompiler
{
    public const string Filter = "filter";
    public const string Select = "select";
    public const string Drop = "drop";
    public const string Rename = "rename";
    public const string Derive = "derive";
    public const string Cast = "cast";
    public const string Normalize = "normalize";
    public const string ToKey = "to_key";
    public const string OneHot = "one_hot";
    public const string Assemble = "assemble";
    public const string Udf = "udf";

    public static readonly IReadOnlyList<string> Ops = [Filter, Select, Drop, Rename, Derive, Cast, Normalize, ToKey, OneHot, Assemble, Udf];

    /// <summary>True when the step needs statistics or categories of its input before it can run.</summary>
    public static bool NeedsResolution(TransformStep step) => step.Op is Normalize or ToKey or OneHot && step.Resolved is null;

    /// <summary>Compiles and binds all steps; errors name the step (1-based) and the problem.</summary>
    /// <exception cref="ArgumentException">A step is malformed or does not fit the schema.</exception>
    /// <param name="firstStep">The position of <paramref name="steps"/>[0] in the request, for error messages.</param>
    /// <param name="rejectUnseen">to_key throws <see cref="UnseenValueException"/> for a value outside its categories (records at an endpoint) instead of giving null.</param>
    public static TransformPipeline Compile(IReadOnlyList<TransformStep> steps, DatasetSchema input, PartitionTransformRegistry udfs, int firstStep = 0, bool rejectUnseen = false)
    {
        var ops = new ITransformOp[steps.Count];
        for (var i = 0; i < steps.Count; i++)
        {
            ops[i] = Guard(firstStep + i, () => Create(steps[i], udfs, rejectUnseen));
        }

        return Guard(-1, () => new TransformPipeline(ops, input, firstStep));
    }

    /// <summary>The output column of a to_key / one_hot step.</summary>
    public static string CategoricalOutput(TransformStep step) =>
        step.Output ?? (step.Op == OneHot ? $"{step.Column}_onehot" : step.Column!);

    private static ITransformOp Create(TransformStep step, PartitionTransformRegistry udfs, bool rejectUnseen) => step.Op switch
    {
        Filter => new FilterOp(Required(step.Expression, "expression")),
        Select => ProjectOp.Select(RequiredList(step.Columns, "columns")),
        Drop => ProjectOp.Drop(RequiredList(step.Columns, "columns")),
        Rename => ProjectOp.Rename(step.Names is { Count: > 0 } names ? names : throw new ArgumentException("rename needs 'names' (old name → new name).")),
        Derive => new DeriveOp(Required(step.Output, "output"), Required(step.Expression, "expression")),
        Cast => new CastOp(Required(step.Column, "column"), SchemaJson.ParseType(Required(step.Type, "type"))),
        Normalize => new NormalizeOp(NormalizeParameters(step)),
        ToKey or OneHot => new CategoricalOp(Required(step.Column, "column"), CategoricalOutput(step), Categories(step), step.Op == OneHot, rejectUnseen),
        Assemble => new AssembleOp(RequiredList(step.Columns, "columns"), step.Output ?? "features"),
        Udf => new UdfOp(udfs.Get(Required(step.Name, "name")), step.Args ?? new Dictionary<string, string>()),
        _ => throw new ArgumentException($"Unknown op '{step.Op}'. Ops: {string.Join(", ", Ops)}."),
    };

    /// <summary>normalize: the offsets and scales the platform resolved, per column.</summary>
    public static IReadOnlyDictionary<string, string> ResolveNormalize(string method, IReadOnlyDictionary<string, (double[] A, double[] B)> statistics)
    {
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (column, (a, b)) in statistics)
        {
            var (offset, scale) = method == "zscore" ? NormalizeOp.ZScore(a, b) : NormalizeOp.MinMax(a, b);
            resolved[$"{column}.offset"] = Join(offset);
            resolved[$"{column}.scale"] = Join(scale);
        }

        return resolved;
    }

    public static IReadOnlyDictionary<string, string> ResolveCategories(IReadOnlyList<string> categories) =>
        new Dictionary<string, string> { ["categories"] = JsonSerializer.Serialize(categories) };

    private static Dictionary<string, (double[] Offset, double[] Scale)> NormalizeParameters(TransformStep step)
    {
        _ = step.Method is "minmax" or "zscore" ? step.Method : throw new ArgumentException($"normalize needs 'method' minmax or zscore; got '{step.Method}'.");
        var resolved = step.Resolved ?? throw new ArgumentException("normalize has not been resolved.");
        return RequiredList(step.Columns, "columns").ToDictionary(
            c => c,
            c => (Split(resolved[$"{c}.offset"]), Split(resolved[$"{c}.scale"])),
            StringComparer.Ordinal);
    }

    private static string[] Categories(TransformStep step) =>
        step.Resolved?.TryGetValue("categories", out var json) == true
            ? JsonSerializer.Deserialize<string[]>(json) ?? []
            : throw new ArgumentException($"{step.Op} has not been resolved.");

    private static string Join(double[] values) => string.Join(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private static double[] Split(string text) => [.. text.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture))];

    private static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"needs '{field}'.") : value;

    private static IReadOnlyList<string> RequiredList(IReadOnlyList<string>? values, string field) =>
        values is { Count: > 0 } ? values : throw new ArgumentException($"needs '{field}' with at least one column.");

    private static T Guard<T>(int step, Func<T> create)
    {
        try
        {
            return create();
        }
        catch (Exception e) when (e is ArgumentException or SchemaException or Data.Expressions.ExpressionException or KeyNotFoundException or FormatException)
        {
            // No inner exception: Data-layer exception types do not cross a grain call.
            throw FieldError.Invalid(step >= 0 ? $"steps[{step}]: {e.Message}" : e.Message, "steps");
        }
    }
}
