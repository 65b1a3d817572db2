using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Transforms;

/// <summary>Runs a registered <see cref="IPartitionTransform"/> and checks that its output matches the schema it announced.</summary>
public sealed class UdfOp(IPartitionTransform transform, IReadOnlyDictionary<string, string> args) : ITransformOp
{
    private DatasetSchema? _output;

    public DatasetSchema Bind(DatasetSchema input) => _output = transform.GetOutputSchema(input, args);

    public ColumnBatch Apply(ColumnBatch input)
    {
        var output = transform.Apply(input, args);
        return _output is null || Equals(output.Schema, _output)
            ? output
            : throw new SchemaException($"The transform '{transform.Name}' returned columns ({output.Schema}) that differ from the schema it announced ({_output}).");
    }
}
