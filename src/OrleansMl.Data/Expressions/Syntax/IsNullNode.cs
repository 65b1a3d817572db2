namespace OrleansMl.Data.Expressions.Syntax;

/// <summary><c>x IS NULL</c>, or <c>x IS NOT NULL</c> when <see cref="Negated"/>.</summary>
public sealed record IsNullNode(ExpressionNode Operand, bool Negated, int Position, int Length) : ExpressionNode(Position, Length);
