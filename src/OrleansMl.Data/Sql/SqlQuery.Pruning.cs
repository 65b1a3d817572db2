using OrleansMl.Data.Expressions.Syntax;

namespace OrleansMl.Data.Sql;

/// <summary>Skipping a partition whose column ranges show that no row can pass the conditions on the driving relation.</summary>
public sealed partial class SqlQuery
{
    /// <summary>The conditions on the driving relation alone, by its own column names (ANDed).</summary>
    private List<ExpressionNode> _drivingConditions = [];

    /// <summary>
    /// False when no row of a partition whose integer and timestamp columns lie within <paramref name="ranges"/>
    /// (by column name) can pass the conditions on the driving relation alone, so the partition need not be read.
    /// Conditions of the form <c>column op number</c>, <c>column BETWEEN number AND number</c> and <c>column IS [NOT] NULL</c>
    /// are checked; any other is assumed to pass. A RIGHT or FULL join (run by bucket in a hash exchange) filters its rows after the join: every partition is read.
    /// </summary>
    public bool CanMatch(IReadOnlyDictionary<string, ColumnRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        return RunsAtCoordinator || _drivingConditions.TrueForAll(c => CanHold(c, ranges));
    }

    /// <summary>
    /// The conditions on the driving relation that footer ranges can rule a partition or row group out by (those
    /// <see cref="CanMatch"/> checks, or an AND with one of them, or an OR of them), as written; none when every partition is read.
    /// </summary>
    private IEnumerable<ExpressionNode> RangeConditions() => RunsAtCoordinator ? [] : _drivingConditions.Where(Ranged);

    private static bool Ranged(ExpressionNode condition) => condition switch
    {
        BinaryNode { Operator: BinaryOperator.And } and => Ranged(and.Left) || Ranged(and.Right),
        BinaryNode { Operator: BinaryOperator.Or } or => Ranged(or.Left) && Ranged(or.Right),
        _ => RangeTest(condition) is not null,
    };

    private static bool CanHold(ExpressionNode condition, IReadOnlyDictionary<string, ColumnRange> ranges) => condition switch
    {
        BinaryNode { Operator: BinaryOperator.And } and => CanHold(and.Left, ranges) && CanHold(and.Right, ranges),
        BinaryNode { Operator: BinaryOperator.Or } or => CanHold(or.Left, ranges) || CanHold(or.Right, ranges),
        _ => RangeTest(condition) is not { } test || !ranges.TryGetValue(test.Column, out var range) || test.CanHold(range),
    };

    /// <summary>
    /// For a condition on one column that its range can decide (<c>column op number</c> with a comparison, <c>column BETWEEN
    /// number AND number</c>, <c>column IS [NOT] NULL</c>): the column, and whether a range can hold a row that passes. Null for any other.
    /// </summary>
    private static (string Column, Func<ColumnRange, bool> CanHold)? RangeTest(ExpressionNode condition) => condition switch
    {
        BinaryNode { Left: ColumnReferenceNode column, Right: LiteralNode { Value: long or double } value } binary when IsComparison(binary.Operator) =>
            (column.Name, range => Compare(binary.Operator, range, Number(value))),
        BinaryNode { Left: LiteralNode { Value: long or double } value, Right: ColumnReferenceNode column } binary when IsComparison(binary.Operator) =>
            (column.Name, range => Compare(Mirror(binary.Operator), range, Number(value))),
        BetweenNode { Negated: false, Operand: ColumnReferenceNode column, Lower: LiteralNode { Value: long or double } lower, Upper: LiteralNode { Value: long or double } upper } =>
            (column.Name, range => Compare(BinaryOperator.GreaterThanOrEqual, range, Number(lower)) && Compare(BinaryOperator.LessThanOrEqual, range, Number(upper))),
        IsNullNode { Operand: ColumnReferenceNode column } isNull =>
            (column.Name, range => isNull.Negated ? range.Nulls < range.Rows : range.Nulls > 0),
        _ => null,
    };

    private static bool IsComparison(BinaryOperator op) =>
        op is BinaryOperator.Equal or BinaryOperator.LessThan or BinaryOperator.LessThanOrEqual or BinaryOperator.GreaterThan or BinaryOperator.GreaterThanOrEqual;

    private static double Number(LiteralNode literal) => Convert.ToDouble(literal.Value, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether some non-null value in [min, max] can satisfy <c>value op literal</c> (a comparison). Longs are compared as doubles:
    /// rounding keeps order (never reverses it), so a range judged unable to match truly cannot.
    /// </summary>
    private static bool Compare(BinaryOperator op, ColumnRange range, double literal)
    {
        if (range.Nulls >= range.Rows)
        {
            return false; // only nulls: no comparison is true
        }

        double min = range.Min, max = range.Max;
        return op switch
        {
            BinaryOperator.Equal => literal >= min && literal <= max,
            BinaryOperator.LessThan => min < literal,
            BinaryOperator.LessThanOrEqual => min <= literal,
            BinaryOperator.GreaterThan => max > literal,
            _ => max >= literal,
        };
    }

    private static BinaryOperator Mirror(BinaryOperator op) => op switch
    {
        BinaryOperator.LessThan => BinaryOperator.GreaterThan,
        BinaryOperator.LessThanOrEqual => BinaryOperator.GreaterThanOrEqual,
        BinaryOperator.GreaterThan => BinaryOperator.LessThan,
        BinaryOperator.GreaterThanOrEqual => BinaryOperator.LessThanOrEqual,
        var same => same,
    };
}
