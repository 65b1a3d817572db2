namespace OrleansMl.Data.Expressions.Syntax;

/// <summary>
/// <c>x LIKE 'pattern'</c> (<c>%</c> any run of characters, <c>_</c> one character), <c>ILIKE</c> when
/// <see cref="IgnoreCase"/>, <c>NOT LIKE</c> when <see cref="Negated"/>. The pattern is a string literal.
/// </summary>
public sealed record LikeNode(ExpressionNode Operand, string Pattern, bool IgnoreCase, bool Negated, int Position, int Length)
    : ExpressionNode(Position, Length);
