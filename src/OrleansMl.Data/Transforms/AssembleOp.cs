using System.Numerics.Tensors;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Transforms;

/// <summary>
/// assemble: concatenates numeric columns (as one value each) and vector columns into one float
/// vector column, in the order given — the feature vector trainers read. A row with a null input is null.
/// </summary>
public sealed class AssembleOp(IReadOnlyList<string> columns, string output) : ITransformOp
{
    private int[] _inputs = [];
    private DatasetSchema? _output;

    public DatasetSchema Bind(DatasetSchema input)
    {
        if (columns.Count == 0)
        {
            throw new SchemaException("assemble: name at least one column.");
        }

        _inputs = [.. columns.Select(name => ProjectOp.IndexOrThrow(input, name, "assemble"))];
        var length = 0;
        foreach (var index in _inputs)
        {
            var column = input[index];
            length += column.Type == ColumnType.Vector ? column.VectorLength
                : column.IsNumeric ? 1
                : throw new SchemaException($"assemble: column '{column.Name}' is {SchemaJson.TypeName(column.Type)}; only numbers and vectors can be assembled (use to_key or one_hot for categories).");
        }

        if (input.IndexOf(output) >= 0)
        {
            throw new SchemaException($"assemble: the output column '{output}' already exists; drop it or choose another name.");
        }

        return _output = new DatasetSchema(input.Columns.Append(new ColumnSchema(output, ColumnType.Vector, length)));
    }

    public ColumnBatch Apply(ColumnBatch input)
    {
        var schema = _output![_output.Count - 1];
        var dimension = schema.VectorLength;
        var values = new float[input.RowCount * dimension];
        NullMask? nulls = null;
        var offset = 0;
        foreach (var index in _inputs)
        {
            var column = input[index];
            if (column is VectorColumn vectors)
            {
                for (var row = 0; row < input.RowCount; row++)
                {
                    vectors.Row(row).CopyTo(values.AsSpan((row * dimension) + offset, vectors.Dimension));
                }

                offset += vectors.Dimension;
            }
            else
            {
                var numbers = ((Float64Column)ColumnCast.Cast(column, ColumnType.Float64)).Values;
                for (var row = 0; row < input.RowCount; row++)
                {
                    values[(row * dimension) + offset] = (float)numbers[row];
                }

                offset++;
            }

            for (var row = 0; column.Nulls is not null && row < input.RowCount; row++)
            {
                if (column.Nulls[row])
                {
                    (nulls ??= new NullMask(input.RowCount)).SetNull(row);
                }
            }
        }

        if (nulls is not null)
        {
            for (var row = 0; row < input.RowCount; row++)
            {
                if (nulls[row])
                {
                    TensorPrimitives.Multiply(values.AsSpan(row * dimension, dimension), 0f, values.AsSpan(row * dimension, dimension));
                }
            }
        }

        return new ColumnBatch(_output, [.. input.Columns, new VectorColumn(schema, values, nulls)]);
    }
}
