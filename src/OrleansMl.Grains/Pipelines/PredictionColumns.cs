using System.Globalization;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;
using OrleansMl.Ml.Serving;
using OrleansMl.Models;

namespace OrleansMl.Pipelines;

/// <summary>
/// The columns batch scoring adds to the rows it keeps: <c>prediction</c> — the class value in the
/// label's type (or the class index for a version trained on vectors), or the predicted number for
/// regression — and for classifiers <c>prediction_class</c> (versions with classes) and <c>scores</c>.
/// Rows the model could not score (no features) are null in each.
/// </summary>
public static class PredictionColumns
{
    public const string Prediction = "prediction";
    public const string Class = "prediction_class";
    public const string Scores = "scores";

    public static IReadOnlyList<ColumnSchema> Schema(ModelVersionInfo version, ScorerKind kind, int scoreWidth)
    {
        if (kind == ScorerKind.Regression)
        {
            return [new ColumnSchema(Prediction, ColumnType.Float64)];
        }

        return version.Pipeline?.Classes is not null
            ? [new ColumnSchema(Prediction, LabelType(version.Pipeline.LabelType)), new ColumnSchema(Class, ColumnType.Int64), new ColumnSchema(Scores, ColumnType.Vector, scoreWidth)]
            : [new ColumnSchema(Prediction, ColumnType.Int64), new ColumnSchema(Scores, ColumnType.Vector, scoreWidth)];
    }

    public static Column[] Build(IReadOnlyList<ColumnSchema> schema, ModelVersionInfo version, long[] labels, float[] scores, NullMask? missing)
    {
        if (schema.Count == 1)
        {
            return [new Float64Column(schema[0], Array.ConvertAll(scores, v => (double)v), missing)];
        }

        var vectors = new VectorColumn(schema[^1], scores, missing);
        if (version.Pipeline?.Classes is not { } classes)
        {
            return [new Int64Column(schema[0], labels, missing), vectors];
        }

        return [Values(schema[0], classes, labels, missing), new Int64Column(schema[1], labels, missing), vectors];
    }

    private static ColumnType LabelType(string type) => type switch
    {
        "int64" => ColumnType.Int64,
        "float64" => ColumnType.Float64,
        "boolean" => ColumnType.Boolean,
        _ => ColumnType.String,
    };

    /// <summary>Each row's class value, in the label's type: every class parsed once, then picked per row.</summary>
    private static Column Values(ColumnSchema schema, IReadOnlyList<string> classes, long[] labels, NullMask? missing)
    {
        Column Pick<T>(Func<string, T> parse, Func<T[], Column> column)
        {
            var values = classes.Select(parse).ToArray();
            var rows = new T[labels.Length];
            for (var row = 0; row < rows.Length; row++)
            {
                rows[row] = missing?[row] == true ? default! : values[labels[row]];
            }

            return column(rows);
        }

        return schema.Type switch
        {
            ColumnType.Int64 => Pick(v => long.Parse(v, CultureInfo.InvariantCulture), rows => new Int64Column(schema, rows, missing)),
            ColumnType.Float64 => Pick(v => double.Parse(v, CultureInfo.InvariantCulture), rows => new Float64Column(schema, rows, missing)),
            ColumnType.Boolean => Pick(bool.Parse, rows => new BooleanColumn(schema, rows, missing)),
            _ => Pick<string?>(v => v, rows => new StringColumn(schema, rows)),
        };
    }
}
