namespace OrleansMl.Data.Sql;

/// <summary><c>name</c>, <c>name@3</c> (a version; latest when absent), with an optional alias.</summary>
public sealed record TableReference(string Name, int? Version, string? Alias, int Position, int Length);
