using OrleansMl.Data.Expressions.Syntax;

namespace OrleansMl.Data.Sql;

/// <summary>One entry of the select list: <c>*</c> (<see cref="Expression"/> null) or an expression with an optional alias.</summary>
public sealed record SelectItem(ExpressionNode? Expression, string? Alias, int Position)
{
    public bool IsStar => Expression is null;
}
