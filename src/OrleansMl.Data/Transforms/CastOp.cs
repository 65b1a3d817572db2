using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Transforms;

/// <summary>cast: converts a column to another type (see <see cref="ColumnCast"/>); values that do not convert become null.</summary>
public sealed class CastOp(string column, ColumnType type) : ITransformOp
{
    private int _index;
    private DatasetSchema? _output;

    public DatasetSchema Bind(DatasetSchema input)
    {
        _index = ProjectOp.IndexOrThrow(input, column, "cast");
        if (input[_index].Type == ColumnType.Vector || type == ColumnType.Vector)
        {
            throw new SchemaException($"cast: column '{column}' cannot be cast from {SchemaJson.TypeName(input[_index].Type)} to {SchemaJson.TypeName(type)}; use assemble to build vectors.");
        }

        return _output = new DatasetSchema(input.Columns.Select((c, i) => i == _index ? c with { Type = type } : c));
    }

    public ColumnBatch Apply(ColumnBatch input)
    {
        var columns = input.Columns.ToArray();
        columns[_index] = ColumnCast.Cast(columns[_index], type, failuresToNull: true);
        return new ColumnBatch(_output!, columns);
    }
}
