using OrleansMl.Data.Expressions.Syntax;

namespace OrleansMl.Data.Sql;

/// <summary>A parsed <c>SELECT</c>: every clause as written, positions kept for error messages; <see cref="Explain"/> when it asks for its plan instead of its rows.</summary>
public sealed record SelectStatement(
    bool Distinct,
    IReadOnlyList<SelectItem> Items,
    TableReference From,
    ExpressionNode? Where,
    IReadOnlyList<ExpressionNode> GroupBy,
    ExpressionNode? Having,
    IReadOnlyList<OrderItem> OrderBy,
    long? Limit,
    long Offset,
    bool Explain = false);
