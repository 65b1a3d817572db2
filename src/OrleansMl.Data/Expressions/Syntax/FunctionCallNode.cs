namespace OrleansMl.Data.Expressions.Syntax;

/// <summary><c>name(arg, ...)</c>; the name starts at <see cref="ExpressionNode.Position"/>.</summary>
public sealed record FunctionCallNode(string Name, IReadOnlyList<ExpressionNode> Arguments, int Position, int Length)
    : ExpressionNode(Position, Length);
