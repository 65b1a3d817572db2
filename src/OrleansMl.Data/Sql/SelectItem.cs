using OrleansMl.Data.Expressions.Syntax;

namespace OrleansMl.Data.Sql;

/// <summary>One entry of the select list: <c>*</c> or <c>t.*</c> (<see cref="Expression"/> null; <see cref="StarTable"/> the <c>t</c>) or an expression with an optional alias.</summary>
public sealed record SelectItem(ExpressionNode? Expression, string? Alias, int Position, string? StarTable = null)
{
    public bool IsStar => Expression is null;
}
