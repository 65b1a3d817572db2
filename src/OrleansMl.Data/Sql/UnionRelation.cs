namespace OrleansMl.Data.Sql;

/// <summary>The rows of every branch of <c>SELECT ... UNION ALL SELECT ...</c>, one after the other; the column names are the first branch's.</summary>
public sealed record UnionRelation(IReadOnlyList<SelectStatement> Branches, int Position, int Length) : SqlRelation(null, Position, Length);
