using System.Numerics;
using System.Numerics.Tensors;
using OrleansMl.Data.Expressions.Syntax;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>
/// <c>+ - * / %</c> over Int64 (wrapping on overflow) or Float64, with TensorPrimitives doing the
/// arithmetic. Division or modulo by zero gives null. Int64 division is never bound: '/' converts to Float64.
/// </summary>
internal sealed class ArithmeticNode<T>(BinaryOperator op, PrimitiveNode<T> left, PrimitiveNode<T> right) : PrimitiveNode<T>(left.Type)
    where T : unmanaged, INumber<T>
{
    public override Values<T> Evaluate(EvaluationContext context)
    {
        var x = left.Evaluate(context);
        var y = right.Evaluate(context);
        if (x.IsNull || y.IsNull || (op is BinaryOperator.Divide or BinaryOperator.Modulo && y.IsScalar && T.IsZero(y.Scalar)))
        {
            x.Release();
            y.Release();
            return Values<T>.Null;
        }

        if (x.IsScalar && y.IsScalar)
        {
            x = x.Expand(context);
        }

        var nulls = Masks.Union(x.Nulls, y.Nulls);
        if (op is BinaryOperator.Divide or BinaryOperator.Modulo && !y.IsScalar)
        {
            nulls = NullWhereZero(y.Span, nulls);
        }

        var result = Values<T>.Reuse(context, x, y);
        var destination = result.Writable;
        switch (op, x.IsScalar, y.IsScalar)
        {
            case (BinaryOperator.Add, true, _): TensorPrimitives.Add(y.Span, x.Scalar, destination); break;
            case (BinaryOperator.Add, _, true): TensorPrimitives.Add(x.Span, y.Scalar, destination); break;
            case (BinaryOperator.Add, _, _): TensorPrimitives.Add(x.Span, y.Span, destination); break;
            case (BinaryOperator.Subtract, true, _): TensorPrimitives.Subtract(x.Scalar, y.Span, destination); break;
            case (BinaryOperator.Subtract, _, true): TensorPrimitives.Subtract(x.Span, y.Scalar, destination); break;
            case (BinaryOperator.Subtract, _, _): TensorPrimitives.Subtract(x.Span, y.Span, destination); break;
            case (BinaryOperator.Multiply, true, _): TensorPrimitives.Multiply(y.Span, x.Scalar, destination); break;
            case (BinaryOperator.Multiply, _, true): TensorPrimitives.Multiply(x.Span, y.Scalar, destination); break;
            case (BinaryOperator.Multiply, _, _): TensorPrimitives.Multiply(x.Span, y.Span, destination); break;
            case (BinaryOperator.Divide, true, _): TensorPrimitives.Divide(x.Scalar, y.Span, destination); break;
            case (BinaryOperator.Divide, _, true): TensorPrimitives.Divide(x.Span, y.Scalar, destination); break;
            case (BinaryOperator.Divide, _, _): TensorPrimitives.Divide(x.Span, y.Span, destination); break;
            case (BinaryOperator.Modulo, _, _): Modulo(x, y, destination); break;
            default: throw new InvalidOperationException($"'{op}' is not arithmetic.");
        }

        x.Release(result);
        y.Release(result);
        return result.WithNulls(nulls);
    }

    /// <summary>Adds the rows whose divisor is zero to <paramref name="nulls"/> (copying it first).</summary>
    private static bool[]? NullWhereZero(ReadOnlySpan<T> divisors, bool[]? nulls)
    {
        var first = divisors.IndexOf(T.Zero);
        if (first < 0)
        {
            return nulls;
        }

        var result = nulls is null ? new bool[divisors.Length] : (bool[])nulls.Clone();
        for (var i = first; i < divisors.Length; i++)
        {
            result[i] |= T.IsZero(divisors[i]);
        }

        return result;
    }

    /// <summary>
    /// Truncated remainder (the sign of the dividend), as in C# and SQL. A zero divisor gives 0 here
    /// (its row is null). Writing over x's or y's array is safe: each row reads before it writes.
    /// </summary>
    private static void Modulo(in Values<T> x, in Values<T> y, Span<T> destination)
    {
        var minusOne = -T.One;
        var dividends = x.Span;
        var divisors = y.Span;
        for (var i = 0; i < destination.Length; i++)
        {
            var dividend = x.IsScalar ? x.Scalar : dividends[i];
            var divisor = y.IsScalar ? y.Scalar : divisors[i];

            // long.MinValue % -1 throws in .NET; any integer % -1 is 0.
            destination[i] = T.IsZero(divisor) || (typeof(T) == typeof(long) && divisor == minusOne) ? T.Zero : dividend % divisor;
        }
    }
}
