using System.Globalization;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Transforms;
using OrleansMl.Datasets;
using OrleansMl.Serving;

namespace OrleansMl.Pipelines;

/// <summary>
/// A version's fitted steps, compiled once per loaded model, turning raw records into the feature
/// vectors the model scores. Thread-safe: compiled steps keep no per-call state. A to_key value
/// outside the fitted categories is refused (one_hot gives all zeros, as documented), and errors name
/// the record and column as the caller sent them, e.g. <c>records[2].weather</c>.
/// </summary>
public sealed class RecordPipeline
{
    private readonly DatasetSchema _input;
    private readonly TransformPipeline _steps;
    private readonly TransformPipeline _lenient;
    private readonly int _feature;

    public RecordPipeline(ModelPipeline pipeline, PartitionTransformRegistry udfs)
    {
        _input = RowJson.Schema(pipeline.Inputs);
        _steps = StepCompiler.Compile(pipeline.Steps, _input, udfs, rejectUnseen: true);
        _lenient = StepCompiler.Compile(pipeline.Steps, _input, udfs);
        _feature = _steps.Output.IndexOf(pipeline.FeatureColumn);
    }

    /// <summary>The feature vectors of the records, laid end to end.</summary>
    /// <exception cref="ArgumentException">A column is missing or of the wrong shape, or a value cannot go through the steps; the message and field name the record and column.</exception>
    public float[] Features(PredictionInput input)
    {
        var columns = new Column[_input.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            var schema = _input[i];
            var sent = input.Columns?.FirstOrDefault(c => c.Name == schema.Name)
                ?? throw FieldError.Invalid($"Every record needs '{schema.Name}' ({SchemaJson.TypeName(schema.Type)}); none was sent.", $"records[0].{schema.Name}");
            columns[i] = Column(schema, sent, input.Rows);
        }

        ColumnBatch output;
        try
        {
            output = _steps.Apply(new ColumnBatch(_input, columns));
        }
        catch (UnseenValueException e)
        {
            var field = string.Create(CultureInfo.InvariantCulture, $"records[{e.Row}].{e.Column}");
            throw FieldError.Invalid($"{field}: {e.Message}", field);
        }

        var features = (VectorColumn)output[_feature];
        if (features.Nulls is { } nulls)
        {
            for (var row = 0; row < input.Rows; row++)
            {
                if (nulls[row])
                {
                    var field = string.Create(CultureInfo.InvariantCulture, $"records[{row}]");
                    throw FieldError.Invalid($"{field}: the steps gave no features for this record (a value they turn into null, such as a number that does not convert).", field);
                }
            }
        }

        return features.UnsafeArray; // made for this request: no copy needed
    }

    /// <summary>
    /// The feature vectors of a dataset's rows (batch scoring), from its columns of the input names
    /// (checked beforehand to be of the input kinds). A row the steps give no features for (a to_key
    /// category never seen in training) is null in the mask, and its vector is zeros.
    /// </summary>
    public (float[] Features, NullMask? Missing) Features(ColumnBatch rows)
    {
        var input = new ColumnBatch(_input, [.. _input.Columns.Select(c => rows[c.Name].WithSchema(c))]);
        var features = (VectorColumn)_lenient.Apply(input)[_feature];
        return (features.UnsafeArray, features.Nulls);
    }

    private static Column Column(ColumnSchema schema, RecordColumn sent, int rows)
    {
        var length = schema.Type == ColumnType.Vector ? rows * schema.VectorLength : rows;
        Column? column = schema.Type switch
        {
            ColumnType.Int64 or ColumnType.Timestamp when sent.Integers?.Length == length => new Int64Column(schema, sent.Integers),
            ColumnType.Float64 when sent.Numbers?.Length == length => new Float64Column(schema, sent.Numbers),
            ColumnType.Boolean when sent.Flags?.Length == length => new BooleanColumn(schema, sent.Flags),
            ColumnType.String or ColumnType.Categorical when sent.Texts?.Length == length => new StringColumn(schema, sent.Texts),
            ColumnType.Vector when sent.Vectors?.Length == length => new VectorColumn(schema, sent.Vectors),
            _ => null,
        };
        return column ?? throw FieldError.Invalid(
            $"'{schema.Name}' holds {SchemaJson.TypeName(schema.Type)}{(schema.VectorLength > 0 ? $"[{schema.VectorLength}]" : "")} values, one per record; the request's do not match.",
            $"records[0].{schema.Name}");
    }
}
