using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>A String or Categorical column, read in place.</summary>
internal sealed class TextColumnReference(ColumnType type, int slot) : TextNode(type)
{
    public override TextValues Evaluate(EvaluationContext context) => TextValues.Borrow((StringColumn)context.Column(slot));

    public override Values<bool> EvaluateIsNull(EvaluationContext context) =>
        context.NullsOf(slot) is { } nulls ? Values<bool>.Borrow(nulls, null) : Values<bool>.Constant(false);

    public override Column EvaluateColumn(EvaluationContext context, ColumnSchema schema) => context.Column(slot).WithSchema(schema);
}
