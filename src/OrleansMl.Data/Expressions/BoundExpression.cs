using OrleansMl.Data.Columns;
using OrleansMl.Data.Expressions.Evaluation;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions;

/// <summary>
/// A type-checked expression, ready to run over batches of the schema it was bound to. Evaluation is
/// vectorised: every operation runs over whole columns. Immutable and safe to use from several threads.
/// </summary>
public sealed class BoundExpression
{
    private readonly BoundNode _root;
    private readonly IReadOnlyList<ReferencedColumn> _columns;

    internal BoundExpression(string text, BoundNode root, IReadOnlyList<ReferencedColumn> columns)
    {
        Text = text;
        _root = root;
        _columns = columns;
        ReferencedColumns = [.. columns.Select(c => c.Name)];
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>
    /// The type of the values: Int64, Float64, Boolean, String, Categorical (a categorical column passed
    /// through) or Timestamp. Never Vector.
    /// </summary>
    public ColumnType ResultType => _root.Type;

    /// <summary>True when the expression is one column as it is: evaluating it cannot fail, whatever the row.</summary>
    internal bool IsColumn => _root is TextColumnReference || (_root.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(PrimitiveColumnReference<>));

    /// <summary>True when the expression is a true/false condition that can filter rows.</summary>
    public bool IsPredicate => ResultType == ColumnType.Boolean;

    /// <summary>The columns the expression reads, each once, in order of first appearance.</summary>
    public IReadOnlyList<string> ReferencedColumns { get; }

    /// <summary>The expression's value for every row of <paramref name="batch"/>, as a column named <paramref name="outputName"/>.</summary>
    /// <returns>An <see cref="Int64Column"/> (Int64, Timestamp), <see cref="Float64Column"/>, <see cref="BooleanColumn"/> or <see cref="StringColumn"/>.</returns>
    /// <exception cref="SchemaException">The batch lacks a referenced column or has it with another type.</exception>
    public Column Evaluate(ColumnBatch batch, string outputName)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputName);
        return _root.EvaluateColumn(EvaluationContext.For(batch, _columns, Text), new ColumnSchema(outputName, ResultType));
    }

    /// <summary>The indices of the rows where the condition is true (not false, not null), ascending.</summary>
    /// <exception cref="InvalidOperationException">The expression is not a condition (<see cref="IsPredicate"/> is false).</exception>
    /// <exception cref="SchemaException">The batch lacks a referenced column or has it with another type.</exception>
    public int[] SelectRows(ColumnBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_root is not PrimitiveNode<bool> condition)
        {
            throw new InvalidOperationException($"'{Text}' is {ResultType.ToString().ToLowerInvariant()}, not a true/false condition, so it cannot select rows.");
        }

        var values = condition.Evaluate(EvaluationContext.For(batch, _columns, Text));
        if (values.IsScalar)
        {
            return values.IsNull || !values.Scalar ? [] : [.. Enumerable.Range(0, batch.RowCount)];
        }

        var rows = Masks.SelectTrue(values.Span);
        values.Release();
        return rows;
    }

    public override string ToString() => Text;
}
