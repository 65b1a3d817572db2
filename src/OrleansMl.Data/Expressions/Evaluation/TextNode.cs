using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>A node with string values (String, Categorical).</summary>
internal abstract class TextNode(ColumnType type) : BoundNode(type)
{
    /// <summary>
    /// True when the values are a few string instances repeated (a categorical column, or a function of
    /// one), so kernels remember answers per instance (<see cref="StringMemo{T}"/>).
    /// </summary>
    public virtual bool RepeatsInstances => Type == ColumnType.Categorical;

    public abstract TextValues Evaluate(EvaluationContext context);

    public override Values<bool> EvaluateIsNull(EvaluationContext context)
    {
        var values = Evaluate(context);
        if (values.IsScalar)
        {
            return Values<bool>.Constant(values.IsNull);
        }

        var span = values.Span;
        var result = GC.AllocateUninitializedArray<bool>(span.Length);
        for (var i = 0; i < span.Length; i++)
        {
            result[i] = span[i] is null;
        }

        return Values<bool>.Own(result, null);
    }

    public override Column EvaluateColumn(EvaluationContext context, ColumnSchema schema)
    {
        var values = Evaluate(context).Expand(context.RowCount);
        return values.Column is { } column
            ? column.WithSchema(schema)
            : new StringColumn(schema, values.Array!);
    }

    public override BoundNode ToConstant()
    {
        var values = Evaluate(EvaluationContext.SingleRow);
        return new TextConstant(Type, values.IsScalar ? values.Scalar : values.Span[0]);
    }
}
