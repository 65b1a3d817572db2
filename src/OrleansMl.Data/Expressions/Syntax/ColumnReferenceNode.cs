namespace OrleansMl.Data.Expressions.Syntax;

/// <summary>
/// A column named bare (<c>price</c>) or quoted (<c>"unit price"</c>, <c>`unit price`</c>), in SQL
/// optionally after the table it belongs to (<c>o.price</c>); <see cref="Name"/> and <see cref="Table"/> are unquoted.
/// </summary>
public sealed record ColumnReferenceNode(string Name, int Position, int Length, string? Table = null) : ExpressionNode(Position, Length);
