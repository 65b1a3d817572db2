using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>abs over Int64; abs(-9223372036854775808) wraps to itself, as unchecked C# does.</summary>
internal sealed class Int64AbsNode(PrimitiveNode<long> operand) : PrimitiveNode<long>(ColumnType.Int64)
{
    public override Values<long> Evaluate(EvaluationContext context)
    {
        var x = operand.Evaluate(context);
        if (x.IsScalar)
        {
            return x.IsNull ? x : Values<long>.Constant(Abs(x.Scalar));
        }

        var values = x.Span;
        var result = Values<long>.Reuse(context, x);
        var destination = result.Writable;
        for (var i = 0; i < values.Length; i++)
        {
            destination[i] = Abs(values[i]);
        }

        return result.WithNulls(x.Nulls);
    }

    private static long Abs(long value) => value < 0 ? unchecked(-value) : value;
}
