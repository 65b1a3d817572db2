using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Transforms;

/// <summary>
/// to_key maps each category to its 0-based position in <paramref name="categories"/> (int64);
/// one_hot maps it to a float vector with a 1 at that position. The category list is computed
/// beforehand over the whole input and sorted ordinally, so every partition agrees. Values not in
/// the list become null for to_key and an all-zero vector for one_hot (as scikit-learn's
/// OneHotEncoder with handle_unknown='ignore'); nulls become null. With <paramref name="rejectUnseen"/>
/// (fitted steps applied to records at an endpoint) a to_key value not in the list is an
/// <see cref="UnseenValueException"/> naming the row instead.
/// </summary>
public sealed class CategoricalOp(string column, string output, IReadOnlyList<string> categories, bool oneHot, bool rejectUnseen = false) : ITransformOp
{
    private readonly Dictionary<string, int> _keys = categories.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
    private int _index;
    private DatasetSchema? _output;
    private int _outputIndex;

    public DatasetSchema Bind(DatasetSchema input)
    {
        _index = ProjectOp.IndexOrThrow(input, column, oneHot ? "one_hot" : "to_key");
        if (!input[_index].IsText)
        {
            throw new SchemaException($"{(oneHot ? "one_hot" : "to_key")}: column '{column}' is {SchemaJson.TypeName(input[_index].Type)}; it needs a string or categorical column (cast it first).");
        }

        if (oneHot && categories.Count == 0)
        {
            throw new SchemaException($"one_hot: column '{column}' has no values to encode.");
        }

        var schema = oneHot ? new ColumnSchema(output, ColumnType.Vector, categories.Count) : new ColumnSchema(output, ColumnType.Int64);
        _outputIndex = input.IndexOf(output);
        return _output = new DatasetSchema(_outputIndex >= 0
            ? input.Columns.Select((c, i) => i == _outputIndex ? schema : c)
            : input.Columns.Append(schema));
    }

    public ColumnBatch Apply(ColumnBatch input)
    {
        var values = ((StringColumn)input[_index]).Values;
        var schema = _output![_outputIndex >= 0 ? _outputIndex : _output.Count - 1];
        var builder = ColumnBuilder.Create(schema, values.Length);
        for (var row = 0; row < values.Length; row++)
        {
            if (values[row] is not { } value)
            {
                builder.AppendNull();
            }
            else if (!_keys.TryGetValue(value, out var key))
            {
                if (oneHot)
                {
                    ((VectorColumnBuilder)builder).Reserve();
                }
                else if (rejectUnseen)
                {
                    throw new UnseenValueException(row, column, $"'{value}' was never seen in the training rows; known values: {Known()}.");
                }
                else
                {
                    builder.AppendNull();
                }
            }
            else if (builder is VectorColumnBuilder vectors)
            {
                vectors.Reserve()[key] = 1f;
            }
            else
            {
                ((Int64ColumnBuilder)builder).Append(key);
            }
        }

        var columns = input.Columns.ToList();
        if (_outputIndex >= 0)
        {
            columns[_outputIndex] = builder.Build();
        }
        else
        {
            columns.Add(builder.Build());
        }

        return new ColumnBatch(_output, columns);
    }

    private string Known() =>
        categories.Count <= 20 ? string.Join(", ", categories) : $"{string.Join(", ", categories.Take(20))} and {categories.Count - 20} more";
}
