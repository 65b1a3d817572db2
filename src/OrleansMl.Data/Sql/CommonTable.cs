namespace OrleansMl.Data.Sql;

/// <summary><c>WITH name AS (SELECT ...)</c>: a query the statement reads by name.</summary>
public sealed record CommonTable(string Name, SelectStatement Query, int Position, int Length);
