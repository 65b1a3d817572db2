namespace OrleansMl.Data.Expressions.Syntax;

/// <summary><c>x IN (literal, ...)</c>, or <c>x NOT IN (...)</c> when <see cref="Negated"/>.</summary>
public sealed record InNode(ExpressionNode Operand, IReadOnlyList<LiteralNode> Items, bool Negated, int Position, int Length)
    : ExpressionNode(Position, Length);
