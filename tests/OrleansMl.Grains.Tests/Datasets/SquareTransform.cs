using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Transforms;

namespace OrleansMl.Grains.Tests.Datasets;

/// <summary>A user-defined transform as a user would write one: adds {column}_squared (args: column).</summary>
public sealed class SquareTransform : IPartitionTransform
{
    public string Name => "square";

    public DatasetSchema GetOutputSchema(DatasetSchema input, IReadOnlyDictionary<string, string> args)
    {
        var column = input.Get(args["column"]);
        return column.Type == ColumnType.Float64
            ? new DatasetSchema(input.Columns.Append(new ColumnSchema(column.Name + "_squared", ColumnType.Float64)))
            : throw new SchemaException($"square needs a float64 column; '{column.Name}' is {column.Type}.");
    }

    public ColumnBatch Apply(ColumnBatch input, IReadOnlyDictionary<string, string> args)
    {
        var source = (Float64Column)input[args["column"]];
        var squared = new double[source.Length];
        System.Numerics.Tensors.TensorPrimitives.Multiply(source.Values, source.Values, squared);
        var schema = GetOutputSchema(input.Schema, args);
        return new ColumnBatch(schema, [.. input.Columns, new Float64Column(schema[^1], squared, source.Nulls)]);
    }
}
