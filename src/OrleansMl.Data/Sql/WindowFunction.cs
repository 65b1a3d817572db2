using OrleansMl.Data.Expressions.Syntax;

namespace OrleansMl.Data.Sql;

/// <summary>
/// One window call of a query, over the rows of the query below it (<see cref="WindowRelation.Query"/>):
/// its arguments, partition keys and order keys are columns of those rows (or, for lag/lead's offset and
/// ntile's count, a whole number); its value becomes column <see cref="Column"/>.
/// </summary>
/// <param name="Written">The call as written (for errors and EXPLAIN).</param>
/// <param name="Call">The function with its arguments as columns of the rows below.</param>
/// <param name="Frame">The rows an aggregate reads for each row (the default when none is written).</param>
public sealed record WindowFunction(
    WindowCallNode Written,
    FunctionCallNode Call,
    IReadOnlyList<string> PartitionBy,
    IReadOnlyList<OrderItem> OrderBy,
    WindowFrame Frame,
    string Column)
{
    /// <summary>The function's name in lower case.</summary>
    public string Name => Call.Name.ToLowerInvariant();
}
