namespace OrleansMl.Datasets;

/// <summary>
/// One step of a transform. <see cref="Op"/> selects the operation and which other fields it reads:
/// <list type="bullet">
/// <item>filter: Expression (a predicate).</item>
/// <item>select / drop: Columns.</item>
/// <item>rename: Names (old → new).</item>
/// <item>derive: Output, Expression.</item>
/// <item>cast: Column, Type.</item>
/// <item>normalize: Columns, Method (minmax | zscore); statistics come from the step's input.</item>
/// <item>to_key / one_hot: Column, Output (default: same name / {column}_onehot); the categories come from the step's input.</item>
/// <item>assemble: Columns (numeric or vector), Output.</item>
/// <item>udf: Name (a registered partition transform), Args.</item>
/// </list>
/// <see cref="Resolved"/> is filled in by the platform (statistics, category lists) so lineage can replay the step exactly.
/// </summary>
[GenerateSerializer, Immutable, Alias("orleansml.TransformStep")]
public sealed record TransformStep(
    [property: Id(0)] string Op,
    [property: Id(1)] string? Expression = null,
    [property: Id(2)] IReadOnlyList<string>? Columns = null,
    [property: Id(3)] IReadOnlyDictionary<string, string>? Names = null,
    [property: Id(4)] string? Column = null,
    [property: Id(5)] string? Output = null,
    [property: Id(6)] string? Type = null,
    [property: Id(7)] string? Method = null,
    [property: Id(8)] string? Name = null,
    [property: Id(9)] IReadOnlyDictionary<string, string>? Args = null,
    [property: Id(10)] IReadOnlyDictionary<string, string>? Resolved = null);
