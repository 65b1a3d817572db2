namespace OrleansMl.Data.Sql;

/// <summary><c>name</c>, <c>name@3</c> (a version; latest when absent), with an optional alias: a dataset, or a name from WITH.</summary>
public sealed record TableReference(string Name, int? Version, string? Alias, int Position, int Length) : SqlRelation(Alias, Position, Length);
