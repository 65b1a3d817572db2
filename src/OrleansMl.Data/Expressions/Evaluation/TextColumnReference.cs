using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>A String or Categorical column, read in place.</summary>
internal sealed class TextColumnReference(ColumnType type, int slot) : TextNode(type)
{
    public override TextValues Evaluate(EvaluationContext context) => TextValues.Borrow((StringColumn)context.Column(slot));

    /// <summary>The column's codes and distinct values when it is held as codes (<see cref="StringColumn.TryGetCodes"/>), and its null rows.</summary>
    public bool TryGetCodes(EvaluationContext context, out ReadOnlySpan<int> codes, out string[] dictionary, out bool[]? nulls)
    {
        nulls = context.NullsOf(slot);
        return ((StringColumn)context.Column(slot)).TryGetCodes(out codes, out dictionary);
    }

    public override Values<bool> EvaluateIsNull(EvaluationContext context) =>
        context.NullsOf(slot) is { } nulls ? Values<bool>.Borrow(nulls, null) : Values<bool>.Constant(false);

    public override Column EvaluateColumn(EvaluationContext context, ColumnSchema schema) => context.Column(slot).WithSchema(schema);
}
