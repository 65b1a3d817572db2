using OrleansMl.Data.Expressions.Syntax;

namespace OrleansMl.Data.Sql;

/// <summary>
/// A parsed <c>SELECT</c>: every clause as written, positions kept for error messages; the query's own
/// text is <c>text[Position..(Position + Length)]</c> (without EXPLAIN), which parses alone.
/// <see cref="Explain"/> when it asks for its plan instead of its rows.
/// </summary>
public sealed record SelectStatement(
    bool Distinct,
    IReadOnlyList<SelectItem> Items,
    SqlRelation From,
    ExpressionNode? Where,
    IReadOnlyList<ExpressionNode> GroupBy,
    ExpressionNode? Having,
    IReadOnlyList<OrderItem> OrderBy,
    long? Limit,
    long Offset,
    bool Explain = false)
{
    /// <summary>The relations joined to <see cref="From"/>, in the order written.</summary>
    public IReadOnlyList<JoinClause> Joins { get; init; } = [];

    /// <summary><c>QUALIFY condition</c>: a filter on the rows after the window functions (null when none).</summary>
    public ExpressionNode? Qualify { get; init; }

    /// <summary>The queries of the WITH clause, visible to this statement and the subqueries inside it.</summary>
    public IReadOnlyList<CommonTable> With { get; init; } = [];

    /// <summary>The dataset <c>CREATE DATASET name AS</c> writes the rows to as a new version; null for a query that answers rows.</summary>
    public string? Into { get; init; }

    public int Position { get; init; }

    public int Length { get; init; }

    /// <summary>Every relation of FROM in the order written: <see cref="From"/>, then each join's.</summary>
    public IReadOnlyList<SqlRelation> Relations => [From, .. Joins.Select(j => j.Relation)];
}
