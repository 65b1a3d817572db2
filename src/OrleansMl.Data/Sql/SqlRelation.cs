namespace OrleansMl.Data.Sql;

/// <summary>What a FROM clause reads: a dataset (or a WITH name), a subquery, or the rows of UNION ALL branches; <see cref="Alias"/> names it in the query.</summary>
public abstract record SqlRelation(string? Alias, int Position, int Length);
