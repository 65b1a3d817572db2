namespace OrleansMl.Data.Expressions.Syntax;

/// <summary><c>-x</c> or <c>NOT x</c>; the operator is at <see cref="ExpressionNode.Position"/>.</summary>
public sealed record UnaryNode(UnaryOperator Operator, ExpressionNode Operand, int Position, int Length) : ExpressionNode(Position, Length);
