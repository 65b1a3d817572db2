using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>One WHEN of a CASE over numbers, booleans or timestamps: per row, <c>then</c> where the condition is true, else <c>otherwise</c>.</summary>
internal sealed class IfNode<T>(PrimitiveNode<bool> condition, PrimitiveNode<T> then, PrimitiveNode<T> otherwise, ColumnType type) : PrimitiveNode<T>(type)
    where T : unmanaged
{
    public override Values<T> Evaluate(EvaluationContext context)
    {
        var test = condition.Evaluate(context);
        if (test.IsScalar)
        {
            return (!test.IsNull && test.Scalar ? then : otherwise).Evaluate(context);
        }

        var a = then.Evaluate(context);
        var b = otherwise.Evaluate(context);
        var result = Values<T>.Rent(context);
        var values = result.Writable;
        bool[]? nulls = null;
        var tests = test.Span;
        var testNulls = test.Nulls;
        // Each branch read once, not per row: its rows (empty for a scalar), their nulls, the scalar and whether it is null.
        ReadOnlySpan<T> thenValues = a.IsScalar ? default : a.Span, elseValues = b.IsScalar ? default : b.Span;
        var (thenNulls, thenScalar, thenNull) = (a.Nulls, a.Scalar, a.IsScalar && a.IsNull);
        var (elseNulls, elseScalar, elseNull) = (b.Nulls, b.Scalar, b.IsScalar && b.IsNull);
        for (var i = 0; i < values.Length; i++)
        {
            var fromThen = tests[i] && (testNulls is null || !testNulls[i]);
            var isNull = fromThen
                ? (thenValues.IsEmpty ? thenNull : thenNulls?[i] == true)
                : (elseValues.IsEmpty ? elseNull : elseNulls?[i] == true);
            if (isNull)
            {
                (nulls ??= new bool[values.Length])[i] = true;
                values[i] = default; // a null row holds the default (false for a condition), as every node's does
            }
            else
            {
                values[i] = fromThen
                    ? (thenValues.IsEmpty ? thenScalar : thenValues[i])
                    : (elseValues.IsEmpty ? elseScalar : elseValues[i]);
            }
        }

        test.Release();
        a.Release();
        b.Release();
        return result.WithNulls(nulls);
    }
}
