using OrleansMl.Data.Sql;

namespace OrleansMl.Data.Expressions.Syntax;

/// <summary>
/// <c>f(args) OVER ([PARTITION BY ...] [ORDER BY ...] [ROWS|RANGE frame])</c> in a SQL select list or
/// ORDER BY: a value computed over the rows of the call's partition, in its order, rather than over one row.
/// </summary>
public sealed record WindowCallNode(FunctionCallNode Call, IReadOnlyList<ExpressionNode> PartitionBy, IReadOnlyList<OrderItem> OrderBy, WindowFrame? Frame, int Position, int Length)
    : ExpressionNode(Position, Length);
