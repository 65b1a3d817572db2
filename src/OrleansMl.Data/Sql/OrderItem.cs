using OrleansMl.Data.Expressions.Syntax;

namespace OrleansMl.Data.Sql;

/// <summary>One ORDER BY key. Nulls sort last in both directions unless <c>NULLS FIRST</c> is written, as in DuckDB.</summary>
public sealed record OrderItem(ExpressionNode Expression, bool Descending, bool NullsFirst);
