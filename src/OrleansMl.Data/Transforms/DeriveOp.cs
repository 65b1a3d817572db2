using OrleansMl.Data.Columns;
using OrleansMl.Data.Expressions;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Transforms;

/// <summary>derive: adds (or replaces) a column computed from an expression.</summary>
public sealed class DeriveOp(string output, string expression) : ITransformOp
{
    private BoundExpression? _expression;
    private DatasetSchema? _schema;
    private int _replaced;

    public DatasetSchema Bind(DatasetSchema input)
    {
        if (string.IsNullOrWhiteSpace(output))
        {
            throw new SchemaException("derive: the output column needs a name.");
        }

        _expression = Expression.Compile(expression, input);
        var column = new ColumnSchema(output, _expression.ResultType);
        _replaced = input.IndexOf(output);
        return _schema = new DatasetSchema(_replaced >= 0
            ? input.Columns.Select((c, i) => i == _replaced ? column : c)
            : input.Columns.Append(column));
    }

    public ColumnBatch Apply(ColumnBatch input)
    {
        var value = _expression!.Evaluate(input, output);
        var columns = input.Columns.ToList();
        if (_replaced >= 0)
        {
            columns[_replaced] = value;
        }
        else
        {
            columns.Add(value);
        }

        return new ColumnBatch(_schema!, columns);
    }
}
