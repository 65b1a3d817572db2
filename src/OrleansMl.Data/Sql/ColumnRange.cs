namespace OrleansMl.Data.Sql;

/// <summary>What a file's footer says of an integer or timestamp column: its least and greatest value (when it has any), its nulls and rows.</summary>
public sealed record ColumnRange(long Min, long Max, long Nulls, long Rows);
