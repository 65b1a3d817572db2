using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary><c>x IN ('a', 'b', ...)</c> over String or Categorical values, ordinal; null rules as <see cref="InListNode{T}"/>.</summary>
internal sealed class TextInListNode(TextNode operand, string[] items, bool listHasNull) : PrimitiveNode<bool>(ColumnType.Boolean)
{
    private const int LinearSearchLimit = 8;

    private readonly HashSet<string>? _set = items.Length > LinearSearchLimit ? new HashSet<string>(items, StringComparer.Ordinal) : null;

    public override Values<bool> Evaluate(EvaluationContext context)
    {
        if (operand is TextColumnReference reference && reference.TestDistinct(context, Contains) is { } coded)
        {
            return coded.WithNulls(InNulls.Finish(coded.Writable, coded.Nulls, listHasNull));
        }

        var x = operand.Evaluate(context);
        if (x.IsScalar)
        {
            return x.Scalar is null ? Values<bool>.Null
                : Contains(x.Scalar) ? Values<bool>.Constant(true)
                : listHasNull ? Values<bool>.Null : Values<bool>.Constant(false);
        }

        var values = x.Span;
        var result = Values<bool>.Rent(context);
        var found = result.Writable;
        var nulls = operand.RepeatsInstances ? MatchRepeated(values, found) : Match(values, found);
        return result.WithNulls(InNulls.Finish(found, nulls, listHasNull));
    }

    /// <summary>Sets the rows that match; returns the null rows.</summary>
    private bool[]? Match(ReadOnlySpan<string?> values, Span<bool> result)
    {
        bool[]? nulls = null;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } value)
            {
                result[i] = Contains(value);
            }
            else
            {
                result[i] = false;
                (nulls ??= new bool[values.Length])[i] = true;
            }
        }

        return nulls;
    }

    /// <summary>As <see cref="Match"/>, remembering the answer per string instance, as categorical columns repeat a few instances.</summary>
    private bool[]? MatchRepeated(ReadOnlySpan<string?> values, Span<bool> result)
    {
        bool[]? nulls = null;
        var memo = new StringMemo<bool>();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is not { } value)
            {
                result[i] = false;
                (nulls ??= new bool[values.Length])[i] = true;
            }
            else if (!memo.TryGet(value, out result[i], out var slot))
            {
                memo.Set(slot, value, result[i] = Contains(value));
            }
        }

        return nulls;
    }

    private bool Contains(string value)
    {
        if (_set is not null)
        {
            return _set.Contains(value);
        }

        foreach (var item in items)
        {
            if (string.Equals(value, item))
            {
                return true;
            }
        }

        return false;
    }
}
