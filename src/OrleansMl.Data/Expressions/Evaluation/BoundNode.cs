using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>
/// A type-checked node of a bound expression. Nodes evaluate a whole batch at once: each yields a
/// column-sized array (or a broadcast scalar), never a value per call per row.
/// </summary>
internal abstract class BoundNode(ColumnType type)
{
    /// <summary>The result type: Int64, Float64, Boolean, String, Categorical or Timestamp.</summary>
    public ColumnType Type { get; } = type;

    /// <summary>True for a node whose value does not depend on the batch.</summary>
    public virtual bool IsConstant => false;

    /// <summary>True for the rows where this node is null; never null itself.</summary>
    public abstract Values<bool> EvaluateIsNull(EvaluationContext context);

    /// <summary>The node's values as a column named by <paramref name="schema"/>.</summary>
    public abstract Column EvaluateColumn(EvaluationContext context, ColumnSchema schema);

    /// <summary>This node evaluated once, as a constant node (used on nodes whose operands are all constant).</summary>
    public abstract BoundNode ToConstant();
}
