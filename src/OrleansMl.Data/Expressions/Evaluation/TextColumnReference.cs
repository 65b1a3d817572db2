using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>A String or Categorical column, read in place.</summary>
internal sealed class TextColumnReference(ColumnType type, int slot) : TextNode(type)
{
    public override TextValues Evaluate(EvaluationContext context) => TextValues.Borrow((StringColumn)context.Column(slot));

    /// <summary>
    /// When the column is held as codes (<see cref="StringColumn.TryGetCodes"/>): <paramref name="test"/> asked once per
    /// distinct value, and every row given its value's answer (false on a null row, whose code means nothing), with a copy
    /// of the null rows. No string is made and none compared per row. Null when the column holds strings.
    /// </summary>
    public Values<bool>? TestDistinct(EvaluationContext context, Func<string, bool> test)
    {
        if (!((StringColumn)context.Column(slot)).TryGetCodes(out var codes, out var dictionary))
        {
            return null;
        }

        var answers = new bool[dictionary.Length];
        for (var d = 0; d < answers.Length; d++)
        {
            answers[d] = test(dictionary[d]);
        }

        var nulls = context.NullsOf(slot);
        var result = Values<bool>.Rent(context);
        var output = result.Writable;
        for (var i = 0; i < codes.Length; i++)
        {
            output[i] = (nulls is null || !nulls[i]) && answers[codes[i]];
        }

        return result.WithNulls(nulls is null ? null : (bool[])nulls.Clone());
    }

    public override Values<bool> EvaluateIsNull(EvaluationContext context) =>
        context.NullsOf(slot) is { } nulls ? Values<bool>.Borrow(nulls, null) : Values<bool>.Constant(false);

    public override Column EvaluateColumn(EvaluationContext context, ColumnSchema schema) => context.Column(slot).WithSchema(schema);
}
