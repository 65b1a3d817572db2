using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary><c>coalesce(a, b, ...)</c> over text: per row, the first argument that is not null.</summary>
internal sealed class TextCoalesceNode(ColumnType type, TextNode[] arguments) : TextNode(type)
{
    public override bool RepeatsInstances => arguments.All(a => a.RepeatsInstances || a.IsConstant);

    public override TextValues Evaluate(EvaluationContext context)
    {
        var index = 0;
        var first = arguments[0].Evaluate(context);
        while (first.IsNull && ++index < arguments.Length)
        {
            first = arguments[index].Evaluate(context);
        }

        // Later arguments are evaluated only while some row is still null.
        if (first.IsScalar || !first.MayHaveNulls)
        {
            return first;
        }

        var result = first.Array ?? first.Span.ToArray();
        var remaining = 0;
        foreach (var value in result)
        {
            remaining += value is null ? 1 : 0;
        }

        for (index++; index < arguments.Length && remaining > 0; index++)
        {
            var next = arguments[index].Evaluate(context);
            if (next.IsNull)
            {
                continue;
            }

            var values = next.Span;
            for (var i = 0; i < result.Length; i++)
            {
                if (result[i] is null && (next.IsScalar ? next.Scalar : values[i]) is { } value)
                {
                    result[i] = value;
                    remaining--;
                }
            }
        }

        return TextValues.Rows(result);
    }
}
