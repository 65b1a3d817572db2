using System.Numerics;
using System.Numerics.Tensors;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>Unary minus (Int64 wraps: -(-9223372036854775808) stays as it is).</summary>
internal sealed class NegateNode<T>(PrimitiveNode<T> operand) : PrimitiveNode<T>(operand.Type)
    where T : unmanaged, INumber<T>
{
    public override Values<T> Evaluate(EvaluationContext context)
    {
        var x = operand.Evaluate(context);
        if (x.IsScalar)
        {
            return x.IsNull ? x : Values<T>.Constant(-x.Scalar);
        }

        var result = Values<T>.Reuse(context, x);
        TensorPrimitives.Negate(x.Span, result.Writable);
        return result.WithNulls(x.Nulls);
    }
}
