using OrleansMl.Data.Columns;
using OrleansMl.Data.Expressions;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Transforms;

/// <summary>filter: keeps the rows where the predicate is true (not false, not null).</summary>
public sealed class FilterOp(string expression) : ITransformOp
{
    private BoundExpression? _predicate;

    public DatasetSchema Bind(DatasetSchema input)
    {
        _predicate = Expression.CompilePredicate(expression, input);
        return input;
    }

    public ColumnBatch Apply(ColumnBatch input)
    {
        var rows = _predicate!.SelectRows(input);
        return rows.Length == input.RowCount ? input : input.Take(rows);
    }
}
