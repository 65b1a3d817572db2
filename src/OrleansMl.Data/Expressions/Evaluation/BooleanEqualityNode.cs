using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary><c>a = b</c> or <c>a != b</c> over booleans (booleans are not ordered).</summary>
internal sealed class BooleanEqualityNode(bool notEqual, PrimitiveNode<bool> left, PrimitiveNode<bool> right) : PrimitiveNode<bool>(ColumnType.Boolean)
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

        if (x.IsScalar && y.IsScalar)
        {
            x = x.Expand(context);
        }
        else if (x.IsScalar)
        {
            (x, y) = (y, x);
        }

        var nulls = Masks.Union(x.Nulls, y.Nulls);
        var result = Values<bool>.Reuse(context, x, y);

        // x != y is x XOR y; x = y is x XOR y XOR 1.
        if (y.IsScalar)
        {
            Masks.Xor(x.Span, y.Scalar ^ !notEqual, result.Writable);
        }
        else
        {
            Masks.Xor(x.Span, y.Span, result.Writable);
            if (!notEqual)
            {
                Masks.Not(result.Span, result.Writable);
            }
        }

        if (nulls is not null)
        {
            Masks.ClearNulls(result.Writable, nulls);
        }

        x.Release(result);
        y.Release(result);
        return result.WithNulls(nulls);
    }
}
