using System.Numerics.Tensors;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>An Int64 operand widened to Float64 where it meets a Float64, or divides.</summary>
internal sealed class ToFloat64Node(PrimitiveNode<long> operand) : PrimitiveNode<double>(ColumnType.Float64)
{
    public override Values<double> Evaluate(EvaluationContext context)
    {
        var x = operand.Evaluate(context);
        if (x.IsScalar)
        {
            return x.IsNull ? Values<double>.Null : Values<double>.Constant(x.Scalar);
        }

        var result = Values<double>.Rent(context);
        TensorPrimitives.ConvertTruncating<long, double>(x.Span, result.Writable);
        x.Release();
        return result.WithNulls(x.Nulls);
    }
}
