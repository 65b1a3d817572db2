namespace OrleansMl.Data.Sql;

/// <summary>
/// The rows of <see cref="Query"/> (a SELECT's FROM, WHERE, GROUP BY and HAVING, with everything its select
/// list and ORDER BY read as columns) with a column more per window function: what a SELECT with window
/// functions reads. Written by the parser, never by a user.
/// </summary>
public sealed record WindowRelation(SelectStatement Query, IReadOnlyList<WindowFunction> Functions, int Position, int Length) : SqlRelation(null, Position, Length)
{
    /// <summary>The prefix of the columns the rewrite adds; <c>*</c> above leaves them out.</summary>
    public const string HiddenPrefix = "#w:";
}
