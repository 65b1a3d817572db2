using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary><c>x IS NULL</c> / <c>x IS NOT NULL</c>: true or false, never null.</summary>
internal sealed class NullTestNode(BoundNode operand, bool negated) : PrimitiveNode<bool>(ColumnType.Boolean)
{
    public override Values<bool> Evaluate(EvaluationContext context)
    {
        var isNull = operand.EvaluateIsNull(context);
        if (!negated)
        {
            return isNull;
        }

        if (isNull.IsScalar)
        {
            return Values<bool>.Constant(!isNull.Scalar);
        }

        var result = Values<bool>.Reuse(context, isNull);
        Masks.Not(isNull.Span, result.Writable);
        return result;
    }
}
