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
        ReadOnlySpan<T> aValues = a.IsScalar ? default : a.Span, bValues = b.IsScalar ? default : b.Span;
        for (var i = 0; i < values.Length; i++)
        {
            var fromThen = tests[i] && (testNulls is null || !testNulls[i]);
            var taken = fromThen ? a : b;
            if (taken.IsScalar ? taken.IsNull : taken.Nulls?[i] == true)
            {
                (nulls ??= new bool[values.Length])[i] = true;
                values[i] = default; // a null row holds the default (false for a condition), as every node's does
            }
            else
            {
                values[i] = taken.IsScalar ? taken.Scalar : fromThen ? aValues[i] : bValues[i];
            }
        }

        test.Release();
        a.Release();
        b.Release();
        return result.WithNulls(nulls);
    }
}
