using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>
/// AND / OR with Kleene (SQL) logic: false AND null is false, true OR null is true, otherwise null
/// with null is null.
/// </summary>
internal sealed class LogicalNode(bool isAnd, PrimitiveNode<bool> left, PrimitiveNode<bool> right) : PrimitiveNode<bool>(ColumnType.Boolean)
{
    public override Values<bool> Evaluate(EvaluationContext context)
    {
        var x = left.Evaluate(context);
        var y = right.Evaluate(context);

        // A constant side either decides every row (false AND _, true OR _) or leaves the other side as it is.
        if (x.IsScalar && !x.IsNull)
        {
            return Decide(x, y);
        }

        if (y.IsScalar && !y.IsNull)
        {
            return Decide(y, x);
        }

        if (x.IsNull && y.IsNull)
        {
            return Values<bool>.Null;
        }

        x = x.Expand(context);
        y = y.Expand(context);

        // Nulls first: the values may be written over x's or y's array.
        var nulls = isAnd ? AndNulls(x, y, context.RowCount) : OrNulls(x, y, context.RowCount);
        var result = Values<bool>.Reuse(context, x, y);
        if (isAnd)
        {
            Masks.And(x.Span, y.Span, result.Writable);
        }
        else
        {
            Masks.Or(x.Span, y.Span, result.Writable);
        }

        x.Release(result);
        y.Release(result);
        return result.WithNulls(nulls);
    }

    private Values<bool> Decide(in Values<bool> constant, in Values<bool> other)
    {
        if (constant.Scalar != isAnd)
        {
            other.Release();
            return constant;
        }

        return other;
    }

    private static bool[]? AndNulls(in Values<bool> x, in Values<bool> y, int rows)
    {
        // (xn | yn) & (x | xn) & (y | yn), simplified where a side has no nulls.
        if (x.Nulls is null && y.Nulls is null)
        {
            return null;
        }

        var nulls = new bool[rows];
        if (x.Nulls is null)
        {
            Masks.And(y.Nulls, x.Span, nulls);
        }
        else if (y.Nulls is null)
        {
            Masks.And(x.Nulls, y.Span, nulls);
        }
        else
        {
            Masks.KleeneAndNulls(x.Span, x.Nulls, y.Span, y.Nulls, nulls);
        }

        return nulls;
    }

    private static bool[]? OrNulls(in Values<bool> x, in Values<bool> y, int rows)
    {
        // (xn | yn) & ~(x | y), simplified where a side has no nulls.
        if (x.Nulls is null && y.Nulls is null)
        {
            return null;
        }

        var nulls = new bool[rows];
        if (x.Nulls is null)
        {
            Masks.AndNot(y.Nulls, x.Span, nulls);
        }
        else if (y.Nulls is null)
        {
            Masks.AndNot(x.Nulls, y.Span, nulls);
        }
        else
        {
            Masks.KleeneOrNulls(x.Span, x.Nulls, y.Span, y.Nulls, nulls);
        }

        return nulls;
    }
}
