using Microsoft.ML;
using Microsoft.ML.Data;
using OrleansMl.Ml.MlNet;

namespace OrleansMl.Ml.Tests.Serving;

/// <summary>The seeded synthetic rows the serving tests train and score on.</summary>
internal static class ScorerData
{
    public const int Dimension = 8;
    public const int Classes = 3;

    /// <summary>Every (task, algorithm) the mlnet trainer offers.</summary>
    public static TheoryData<string, string> Algorithms()
    {
        var data = new TheoryData<string, string>();
        foreach (var (task, algorithms) in MlNetTrainer.Algorithms)
        {
            foreach (var algorithm in algorithms)
            {
                data.Add(task, algorithm);
            }
        }

        return data;
    }

    /// <summary>Three blobs, one per class, each shifted along its own feature; labels to suit the task.</summary>
    public static (float[] Features, double[] Labels) Data(Random random, string task, int rows)
    {
        var features = new float[rows * Dimension];
        var labels = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            var c = random.Next(Classes);
            var sum = 0.0;
            for (var j = 0; j < Dimension; j++)
            {
                var value = (2 * random.NextSingle()) - 1 + (j == c ? 1.5f : 0);
                features[(r * Dimension) + j] = value;
                sum += value * (j + 1) / Dimension;
            }

            labels[r] = task switch
            {
                "multiclass" => c,
                "binary" => c == 0 ? 1 : 0,
                _ => Math.Exp(0.5 * sum) + (0.1 * random.NextDouble()), // positive, as Poisson regression needs
            };
        }

        return (features, labels);
    }

    /// <param name="dimension">Features per row; <see cref="Dimension"/> unless given.</param>
    public static IDataView DataView(MLContext ml, float[] features, double[] labels, int dimension = Dimension)
    {
        var rows = new Row[labels.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = new Row { Features = features.AsSpan(i * dimension, dimension).ToArray(), Label = (float)labels[i] };
        }

        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>The model as the .zip ML.NET saves, ready to load.</summary>
    public static MemoryStream Zip(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        var zip = new MemoryStream();
        ml.Model.Save(model, schema, zip);
        zip.Position = 0;
        return zip;
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }
}
