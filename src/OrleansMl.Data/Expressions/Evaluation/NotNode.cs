using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>NOT: true and false swap, null stays null.</summary>
internal sealed class NotNode(PrimitiveNode<bool> operand) : PrimitiveNode<bool>(ColumnType.Boolean)
{
    public override Values<bool> Evaluate(EvaluationContext context)
    {
        var x = operand.Evaluate(context);
        if (x.IsScalar)
        {
            return x.IsNull ? x : Values<bool>.Constant(!x.Scalar);
        }

        // Null rows hold false and must keep holding false: NOT (x | nulls).
        var result = Values<bool>.Reuse(context, x);
        if (x.Nulls is { } nulls)
        {
            Masks.Or(x.Span, nulls, result.Writable);
            Masks.Not(result.Span, result.Writable);
        }
        else
        {
            Masks.Not(x.Span, result.Writable);
        }

        return result.WithNulls(x.Nulls);
    }
}
