using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Transforms;

/// <summary>Steps bound one after another against the input schema; applying runs them in order.</summary>
public sealed class TransformPipeline
{
    private readonly IReadOnlyList<ITransformOp> _ops;

    /// <param name="firstStep">The position of <paramref name="ops"/>[0] in the caller's list of steps, for error messages.</param>
    public TransformPipeline(IReadOnlyList<ITransformOp> ops, DatasetSchema input, int firstStep = 0)
    {
        _ops = ops;
        var schema = input;
        for (var i = 0; i < ops.Count; i++)
        {
            try
            {
                schema = ops[i].Bind(schema);
            }
            catch (Exception e) when (e is SchemaException or Expressions.ExpressionException)
            {
                throw new SchemaException($"steps[{firstStep + i}]: {e.Message}", e);
            }
        }

        Output = schema;
    }

    public DatasetSchema Output { get; }

    public ColumnBatch Apply(ColumnBatch batch)
    {
        foreach (var op in _ops)
        {
            batch = op.Apply(batch);
        }

        return batch;
    }
}
