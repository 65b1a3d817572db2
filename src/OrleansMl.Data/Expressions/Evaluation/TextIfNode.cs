using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>One WHEN of a CASE over text: per row, <c>then</c> where the condition is true, else <c>otherwise</c>.</summary>
internal sealed class TextIfNode(PrimitiveNode<bool> condition, TextNode then, TextNode otherwise, ColumnType type) : TextNode(type)
{
    public override bool RepeatsInstances => (then.RepeatsInstances || then.IsConstant) && (otherwise.RepeatsInstances || otherwise.IsConstant);

    public override TextValues Evaluate(EvaluationContext context)
    {
        var test = condition.Evaluate(context);
        if (test.IsScalar)
        {
            return (!test.IsNull && test.Scalar ? then : otherwise).Evaluate(context);
        }

        var a = then.Evaluate(context);
        var b = otherwise.Evaluate(context);
        var result = new string?[context.RowCount];
        var tests = test.Span;
        var testNulls = test.Nulls;
        for (var i = 0; i < result.Length; i++)
        {
            var taken = tests[i] && (testNulls is null || !testNulls[i]) ? a : b;
            result[i] = taken.IsScalar ? taken.Scalar : taken.Span[i];
        }

        test.Release();
        return TextValues.Rows(result);
    }
}
