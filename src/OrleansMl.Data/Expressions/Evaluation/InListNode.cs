using System.Numerics;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>
/// <c>x IN (items)</c> over Int64, Timestamp or Float64: true on a match; otherwise null when x is null
/// or the list holds null, else false. NOT IN wraps this in <see cref="NotNode"/>.
/// </summary>
internal sealed class InListNode<T>(PrimitiveNode<T> operand, T[] items, bool listHasNull) : PrimitiveNode<bool>(ColumnType.Boolean)
    where T : unmanaged, IEqualityOperators<T, T, bool>
{
    private const int LinearSearchLimit = 16;

    private readonly HashSet<T>? _set = items.Length > LinearSearchLimit ? [.. items] : null;

    public override Values<bool> Evaluate(EvaluationContext context)
    {
        var x = operand.Evaluate(context);
        if (x.IsScalar)
        {
            return x.IsNull ? Values<bool>.Null
                : Contains(x.Scalar) ? Values<bool>.Constant(true)
                : listHasNull ? Values<bool>.Null : Values<bool>.Constant(false);
        }

        var values = x.Span;
        var result = Values<bool>.Rent(context);
        var found = result.Writable;
        if (_set is null)
        {
            for (var i = 0; i < values.Length; i++)
            {
                var match = false;
                foreach (var item in items)
                {
                    match |= values[i] == item;
                }

                found[i] = match;
            }
        }
        else
        {
            for (var i = 0; i < values.Length; i++)
            {
                found[i] = _set.Contains(values[i]);
            }
        }

        x.Release();
        return result.WithNulls(InNulls.Finish(found, x.Nulls, listHasNull));
    }

    private bool Contains(T value)
    {
        foreach (var item in items)
        {
            if (value == item)
            {
                return true;
            }
        }

        return false;
    }
}
