using System.Numerics.Tensors;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>
/// abs, sqrt, log, exp, floor, ceil and round over Float64, by TensorPrimitives. sqrt of a negative
/// number and log of a number &lt;= 0 are null; round goes half away from zero.
/// </summary>
internal sealed class MathNode(MathFunction function, PrimitiveNode<double> operand, int digits = 0) : PrimitiveNode<double>(ColumnType.Float64)
{
    public override Values<double> Evaluate(EvaluationContext context)
    {
        var x = operand.Evaluate(context);
        if (x.IsScalar)
        {
            return x.IsNull || OutOfDomain(x.Scalar) ? Values<double>.Null : Values<double>.Constant(Apply(x.Scalar));
        }

        // Find the rows outside the domain before the result may overwrite the input.
        var nulls = x.Nulls;
        if (function is MathFunction.Sqrt or MathFunction.Log)
        {
            nulls = NullOutsideDomain(x.Span, nulls);
        }

        var result = Values<double>.Reuse(context, x);
        var destination = result.Writable;
        switch (function)
        {
            case MathFunction.Abs: TensorPrimitives.Abs(x.Span, destination); break;
            case MathFunction.Sqrt: TensorPrimitives.Sqrt(x.Span, destination); break;
            case MathFunction.Log: TensorPrimitives.Log(x.Span, destination); break;
            case MathFunction.Exp: TensorPrimitives.Exp(x.Span, destination); break;
            case MathFunction.Floor: TensorPrimitives.Floor(x.Span, destination); break;
            case MathFunction.Ceiling: TensorPrimitives.Ceiling(x.Span, destination); break;
            case MathFunction.Round: TensorPrimitives.Round(x.Span, digits, MidpointRounding.AwayFromZero, destination); break;
            default: throw new InvalidOperationException($"Unknown function {function}.");
        }

        return result.WithNulls(nulls);
    }

    private bool OutOfDomain(double value) => function switch
    {
        MathFunction.Sqrt => value < 0,
        MathFunction.Log => value <= 0,
        _ => false,
    };

    private double Apply(double value) => function switch
    {
        MathFunction.Abs => Math.Abs(value),
        MathFunction.Sqrt => Math.Sqrt(value),
        MathFunction.Log => Math.Log(value),
        MathFunction.Exp => Math.Exp(value),
        MathFunction.Floor => Math.Floor(value),
        MathFunction.Ceiling => Math.Ceiling(value),
        MathFunction.Round => Math.Round(value, digits, MidpointRounding.AwayFromZero),
        _ => throw new InvalidOperationException($"Unknown function {function}."),
    };

    private bool[]? NullOutsideDomain(ReadOnlySpan<double> values, bool[]? nulls)
    {
        bool[]? result = null;
        for (var i = 0; i < values.Length; i++)
        {
            if (OutOfDomain(values[i]))
            {
                result ??= nulls is null ? new bool[values.Length] : (bool[])nulls.Clone();
                result[i] = true;
            }
        }

        return result ?? nulls;
    }
}
