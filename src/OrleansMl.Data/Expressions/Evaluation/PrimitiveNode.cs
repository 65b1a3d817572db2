using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>A node with values of type long (Int64, Timestamp), double (Float64) or bool (Boolean).</summary>
internal abstract class PrimitiveNode<T>(ColumnType type) : BoundNode(type)
    where T : unmanaged
{
    public abstract Values<T> Evaluate(EvaluationContext context);

    public override Values<bool> EvaluateIsNull(EvaluationContext context)
    {
        var values = Evaluate(context);
        values.Release();
        return values.IsScalar ? Values<bool>.Constant(values.IsNull)
            : values.Nulls is { } nulls ? Values<bool>.Borrow(nulls, null)
            : Values<bool>.Constant(false);
    }

    public override Column EvaluateColumn(EvaluationContext context, ColumnSchema schema)
    {
        var result = Evaluate(context).Expand(context);
        var nulls = result.Nulls;
        T[] values;
        if (result.Ownership == Ownership.Owned || (result.Ownership == Ownership.Borrowed && nulls is null))
        {
            // A new array, or a column's array passed through unchanged (columns are immutable and may share).
            values = result.Array!;
        }
        else
        {
            values = GC.AllocateUninitializedArray<T>(context.RowCount);
            result.Span.CopyTo(values);
            result.Release();
        }

        NullMask? mask = null;
        if (nulls is not null)
        {
            // Columns hold default(T) in null rows.
            for (var i = 0; i < nulls.Length; i++)
            {
                if (nulls[i])
                {
                    values[i] = default;
                }
            }

            mask = Masks.ToNullMask(nulls);
        }

        return values switch
        {
            long[] longs => new Int64Column(schema, longs, mask),
            double[] doubles => new Float64Column(schema, doubles, mask),
            bool[] bools => new BooleanColumn(schema, bools, mask),
            _ => throw new InvalidOperationException($"No column type holds {typeof(T).Name} values."),
        };
    }

    public override BoundNode ToConstant()
    {
        var result = Evaluate(EvaluationContext.SingleRow);
        var isNull = result.IsScalar ? result.IsNull : result.Nulls?[0] == true;
        var value = isNull ? default : result.IsScalar ? result.Scalar : result.Span[0];
        result.Release();
        return new PrimitiveConstant<T>(Type, value, isNull);
    }
}
