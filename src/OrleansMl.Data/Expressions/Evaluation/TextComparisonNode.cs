using OrleansMl.Data.Expressions.Syntax;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>Comparisons of String and Categorical values, ordinal (by UTF-16 code unit, case-sensitive).</summary>
internal sealed class TextComparisonNode(BinaryOperator op, TextNode left, TextNode right) : PrimitiveNode<bool>(ColumnType.Boolean)
{
    public override Values<bool> Evaluate(EvaluationContext context)
    {
        if (CompareCodes(context) is { } coded)
        {
            return coded;
        }

        var x = left.Evaluate(context);
        var y = right.Evaluate(context);
        if (x.IsNull || y.IsNull)
        {
            return Values<bool>.Null;
        }

        var comparison = op;
        var repeated = left.RepeatsInstances;
        if (x.IsScalar && y.IsScalar)
        {
            x = x.Expand(context.RowCount);
        }
        else if (x.IsScalar)
        {
            (x, y, comparison, repeated) = (y, x, Comparisons.Mirror(op), right.RepeatsInstances);
        }

        var result = Values<bool>.Rent(context);
        var nulls = y.IsScalar
            ? CompareToScalar(comparison, x.Span, y.Scalar!, result.Writable, repeated)
            : Compare(comparison, x.Span, y.Span, result.Writable);
        return result.WithNulls(nulls);
    }

    /// <summary>A column held as codes against a constant: compared once per distinct value. Null when the operands are not of that shape.</summary>
    private Values<bool>? CompareCodes(EvaluationContext context)
    {
        var (column, constant, comparison) = right.IsConstant ? (left, right, op) : left.IsConstant ? (right, left, Comparisons.Mirror(op)) : (null, null, op);
        if (column is not TextColumnReference reference)
        {
            return null;
        }

        var y = constant!.Evaluate(context);
        return y.IsNull ? Values<bool>.Null : reference.TestDistinct(context, text => Holds(comparison, text, y.Scalar!));
    }

    /// <summary>Compares every row with one string; returns the null rows.</summary>
    private static bool[]? CompareToScalar(BinaryOperator op, ReadOnlySpan<string?> x, string y, Span<bool> result, bool repeated)
    {
        bool[]? nulls = null;

        // Categorical data repeats a few string instances: remember the answer per instance.
        var memo = repeated ? new StringMemo<bool>() : null;
        for (var i = 0; i < x.Length; i++)
        {
            if (x[i] is not { } value)
            {
                (nulls ??= new bool[x.Length])[i] = true;
                result[i] = false;
            }
            else if (memo is null)
            {
                result[i] = Holds(op, value, y);
            }
            else if (!memo.TryGet(value, out result[i], out var slot))
            {
                memo.Set(slot, value, result[i] = Holds(op, value, y));
            }
        }

        return nulls;
    }

    /// <summary>Compares row by row; returns the null rows.</summary>
    private static bool[]? Compare(BinaryOperator op, ReadOnlySpan<string?> x, ReadOnlySpan<string?> y, Span<bool> result)
    {
        bool[]? nulls = null;
        for (var i = 0; i < x.Length; i++)
        {
            if (x[i] is { } a && y[i] is { } b)
            {
                result[i] = Holds(op, a, b);
            }
            else
            {
                (nulls ??= new bool[x.Length])[i] = true;
                result[i] = false;
            }
        }

        return nulls;
    }

    private static bool Holds(BinaryOperator op, string a, string b) => op switch
    {
        BinaryOperator.Equal => string.Equals(a, b),
        BinaryOperator.NotEqual => !string.Equals(a, b),
        _ => Comparisons.Holds(op, string.CompareOrdinal(a, b)),
    };
}
