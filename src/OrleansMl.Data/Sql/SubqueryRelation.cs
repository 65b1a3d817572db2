namespace OrleansMl.Data.Sql;

/// <summary><c>(SELECT ...) AS alias</c> in FROM.</summary>
public sealed record SubqueryRelation(SelectStatement Query, string? Alias, int Position, int Length) : SqlRelation(Alias, Position, Length);
