using OrleansMl.Data.Expressions.Syntax;

namespace OrleansMl.Data.Sql;

/// <summary>One <c>JOIN relation ON condition</c> (or a comma, a cross join) after the first relation in FROM.</summary>
public sealed record JoinClause(SqlRelation Relation, JoinKind Kind, ExpressionNode? On, int Position);
