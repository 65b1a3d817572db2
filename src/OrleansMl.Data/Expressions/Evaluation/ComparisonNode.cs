using System.Numerics;
using OrleansMl.Data.Expressions.Syntax;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary><c>= != &lt; &lt;= &gt; &gt;=</c> over Int64, Timestamp or Float64 (IEEE: NaN equals nothing).</summary>
internal sealed class ComparisonNode<T>(BinaryOperator op, PrimitiveNode<T> left, PrimitiveNode<T> right) : PrimitiveNode<bool>(ColumnType.Boolean)
    where T : unmanaged, IComparisonOperators<T, T, bool>
{
    public override Values<bool> Evaluate(EvaluationContext context)
    {
        var x = left.Evaluate(context);
        var y = right.Evaluate(context);
        if (x.IsNull || y.IsNull)
        {
            x.Release();
            y.Release();
            return Values<bool>.Null;
        }

        var comparison = op;
        if (x.IsScalar && y.IsScalar)
        {
            x = x.Expand(context);
        }
        else if (x.IsScalar)
        {
            (x, y, comparison) = (y, x, Comparisons.Mirror(op));
        }

        var result = Values<bool>.Rent(context);
        if (y.IsScalar)
        {
            Comparisons.Compare(comparison, x.Span, y.Scalar, result.Writable);
        }
        else
        {
            Comparisons.Compare(comparison, x.Span, y.Span, result.Writable);
        }

        var nulls = Masks.Union(x.Nulls, y.Nulls);
        if (nulls is not null)
        {
            Masks.ClearNulls(result.Writable, nulls);
        }

        x.Release();
        y.Release();
        return result.WithNulls(nulls);
    }
}
