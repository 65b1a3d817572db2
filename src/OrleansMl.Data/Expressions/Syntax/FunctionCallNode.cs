namespace OrleansMl.Data.Expressions.Syntax;

/// <summary>
/// <c>name(arg, ...)</c>; the name starts at <see cref="ExpressionNode.Position"/>. SQL aggregates add
/// <c>count(*)</c> (<see cref="Star"/>, no arguments) and <c>count(DISTINCT x)</c> (<see cref="Distinct"/>).
/// </summary>
public sealed record FunctionCallNode(string Name, IReadOnlyList<ExpressionNode> Arguments, int Position, int Length, bool Distinct = false, bool Star = false)
    : ExpressionNode(Position, Length);
