namespace OrleansMl.Data.Expressions.Syntax;

/// <summary>A constant: <see cref="Value"/> is a <see cref="long"/>, <see cref="double"/>, <see cref="string"/>, <see cref="bool"/> or null.</summary>
public sealed record LiteralNode(object? Value, int Position, int Length) : ExpressionNode(Position, Length);
