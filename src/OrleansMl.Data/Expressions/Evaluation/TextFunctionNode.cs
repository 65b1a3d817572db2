using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>lower and upper (invariant culture); the result is String.</summary>
internal sealed class TextFunctionNode(TextFunction function, TextNode operand) : TextNode(ColumnType.String)
{
    public override bool RepeatsInstances => operand.RepeatsInstances;

    public override TextValues Evaluate(EvaluationContext context)
    {
        var x = operand.Evaluate(context);
        if (x.IsScalar)
        {
            return TextValues.Constant(x.Scalar is null ? null : Apply(x.Scalar));
        }

        var values = x.Span;
        var result = x.Destination(context.RowCount);

        // Categorical columns repeat a few string instances: convert each once (which also keeps the result's instances shared).
        var memo = operand.RepeatsInstances ? new StringMemo<string>() : null;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is not { } value)
            {
                result[i] = null;
            }
            else if (memo is null)
            {
                result[i] = Apply(value);
            }
            else if (!memo.TryGet(value, out var converted, out var slot))
            {
                memo.Set(slot, value, result[i] = Apply(value));
            }
            else
            {
                result[i] = converted;
            }
        }

        return TextValues.Rows(result);
    }

    private string Apply(string value) => function == TextFunction.Lower ? value.ToLowerInvariant() : value.ToUpperInvariant();
}
