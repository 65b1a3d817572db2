using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Syntax;

/// <summary><c>CAST(x AS type)</c>, or <c>TRY_CAST(x AS type)</c> (<see cref="OrNull"/>: a value that does not convert is null instead of an error).</summary>
public sealed record CastNode(ExpressionNode Operand, ColumnType Type, string TypeName, bool OrNull, int Position, int Length) : ExpressionNode(Position, Length);
