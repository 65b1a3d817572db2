namespace OrleansMl.Data.Expressions.Syntax;

/// <summary><c>x BETWEEN lower AND upper</c> (both bounds included), or <c>NOT BETWEEN</c> when <see cref="Negated"/>.</summary>
public sealed record BetweenNode(ExpressionNode Operand, ExpressionNode Lower, ExpressionNode Upper, bool Negated, int Position, int Length)
    : ExpressionNode(Position, Length);
