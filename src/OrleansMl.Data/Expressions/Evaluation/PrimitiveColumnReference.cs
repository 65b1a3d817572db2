using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>An Int64, Timestamp, Float64 or Boolean column, read in place.</summary>
internal sealed class PrimitiveColumnReference<T>(ColumnType type, int slot) : PrimitiveNode<T>(type)
    where T : unmanaged
{
    public override Values<T> Evaluate(EvaluationContext context)
    {
        var values = ((PrimitiveColumn<T>)context.Column(slot)).UnsafeArray;
        var nulls = context.NullsOf(slot);
        if (values is bool[] bools && nulls is not null && Masks.ClearNullsNeeded(bools, nulls))
        {
            // Boolean null rows must hold false; a column built by hand might not.
            var copy = (bool[])bools.Clone();
            Masks.ClearNulls(copy, nulls);
            return Values<T>.Own((T[])(object)copy, nulls);
        }

        return Values<T>.Borrow(values, nulls);
    }

    public override Values<bool> EvaluateIsNull(EvaluationContext context) =>
        context.NullsOf(slot) is { } nulls ? Values<bool>.Borrow(nulls, null) : Values<bool>.Constant(false);

    public override Column EvaluateColumn(EvaluationContext context, ColumnSchema schema) => context.Column(slot).WithSchema(schema);
}
