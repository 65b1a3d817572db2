using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>length(text): the number of UTF-16 code units, as Int64.</summary>
internal sealed class LengthNode(TextNode operand) : PrimitiveNode<long>(ColumnType.Int64)
{
    public override Values<long> Evaluate(EvaluationContext context)
    {
        var x = operand.Evaluate(context);
        if (x.IsScalar)
        {
            return x.Scalar is null ? Values<long>.Null : Values<long>.Constant(x.Scalar.Length);
        }

        var values = x.Span;
        var result = Values<long>.Rent(context);
        var lengths = result.Writable;
        bool[]? nulls = null;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } value)
            {
                lengths[i] = value.Length;
            }
            else
            {
                lengths[i] = 0;
                (nulls ??= new bool[values.Length])[i] = true;
            }
        }

        return result.WithNulls(nulls);
    }
}
