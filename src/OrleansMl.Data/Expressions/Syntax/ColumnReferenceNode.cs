namespace OrleansMl.Data.Expressions.Syntax;

/// <summary>A column named bare (<c>price</c>) or quoted (<c>"unit price"</c>, <c>`unit price`</c>); <see cref="Name"/> is unquoted.</summary>
public sealed record ColumnReferenceNode(string Name, int Position, int Length) : ExpressionNode(Position, Length);
