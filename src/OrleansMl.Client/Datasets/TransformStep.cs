namespace OrleansMl.Client;

/// <summary>
/// One step of a transform; <see cref="Op"/> selects the operation and the fields it reads:
/// <c>filter</c> (Expression), <c>select</c>/<c>drop</c> (Columns), <c>rename</c> (Names), <c>derive</c>
/// (Output, Expression), <c>cast</c> (Column, Type), <c>normalize</c> (Columns, Method minmax|zscore),
/// <c>to_key</c>/<c>one_hot</c> (Column, Output), <c>assemble</c> (Columns, Output), <c>udf</c> (Name, Args).
/// </summary>
/// <param name="Resolved">Filled in by the platform (statistics, categories) so lineage can replay the step; leave null.</param>
public sealed record TransformStep(
    string Op,
    string? Expression = null,
    IReadOnlyList<string>? Columns = null,
    IReadOnlyDictionary<string, string>? Names = null,
    string? Column = null,
    string? Output = null,
    string? Type = null,
    string? Method = null,
    string? Name = null,
    IReadOnlyDictionary<string, string>? Args = null,
    IReadOnlyDictionary<string, string>? Resolved = null);
