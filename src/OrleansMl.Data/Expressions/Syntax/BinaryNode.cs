namespace OrleansMl.Data.Expressions.Syntax;

/// <summary>
/// <c>left op right</c>. The node spans both operands; <see cref="OperatorPosition"/> and
/// <see cref="OperatorLength"/> locate the operator token, which type errors point at.
/// </summary>
public sealed record BinaryNode(BinaryOperator Operator, ExpressionNode Left, ExpressionNode Right, int OperatorPosition, int OperatorLength)
    : ExpressionNode(Left.Position, Right.End - Left.Position);
