using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace OrleansMl.Ml.Serving;

/// <summary>
/// Converts a fitted ML.NET model, as <see cref="MlNet.MlNetTrainer"/> trains it, to ONNX. The graph has one input,
/// <see cref="FeaturesColumn"/> (float [N, dimension]), and the outputs "PredictedLabel.output" (multiclass: a 1-based
/// class key; binary: a bool), "Score.output" and, for calibrated binary models, "Probability.output".
/// Steps that only rewrite the label (the label-to-key and label-to-bool conversions) are left out, since a row to score has no label.
/// </summary>
public static class OnnxExport
{
    /// <summary>The name of the graph's input: row-major float features.</summary>
    public const string FeaturesColumn = "Features";

    private const string LabelColumn = "Label";

    private static readonly string[] OutputColumns = ["PredictedLabel", "Score", "Probability"];

    /// <summary>
    /// Writes <paramref name="model"/>, fitted on rows of <paramref name="dimension"/> features, to <paramref name="output"/> as an ONNX model.
    /// </summary>
    /// <exception cref="ArgumentException">The model does not read a "Features" vector of <paramref name="dimension"/> floats (ML.NET's schema message).</exception>
    /// <exception cref="NotSupportedException">A step of the model has no ONNX conversion; the message names it.</exception>
    public static void Export(MLContext ml, ITransformer model, int dimension, Stream output)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);

        var steps = ScoringSteps(model, Input(ml, dimension, withLabel: true).Schema);
        var scoring = steps.Count == 1 ? steps[0] : new TransformerChain<ITransformer>([.. steps]);
        var input = Input(ml, dimension, withLabel: false);
        var scored = scoring.GetOutputSchema(input.Schema);
        var outputs = Array.FindAll(OutputColumns, name => scored.GetColumnOrNull(name) is not null);
        if (outputs.Length == 0)
        {
            throw new NotSupportedException($"Model {Describe(model)} writes none of the columns {string.Join(", ", OutputColumns)}, so it has nothing to serve.");
        }

        try
        {
            ml.Model.ConvertToOnnx(scoring, input, output, outputs);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NotSupportedException)
        {
            throw Unsupported(ml, model, steps, input, e);
        }
    }

    /// <summary>An error that names the first step that does not convert, found by converting the steps one at a time.</summary>
    private static NotSupportedException Unsupported(MLContext ml, ITransformer model, List<ITransformer> steps, IDataView input, Exception error)
    {
        var name = Describe(model);
        foreach (var step in steps)
        {
            try
            {
                ml.Model.ConvertToOnnx(step, input, Stream.Null);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or NotSupportedException)
            {
                var culprit = Describe(step);
                var what = culprit == name ? $"Model {name} has no ONNX conversion" : $"Model {name} cannot be converted to ONNX: its step {culprit} has none";
                return new NotSupportedException($"{what}. Serve it with ML.NET, or train it with an algorithm that converts.", error);
            }

            input = step.Transform(input);
        }

        return new NotSupportedException($"Model {name} cannot be converted to ONNX: {error.Message}", error);
    }

    /// <summary>The steps of <paramref name="model"/> that scoring needs: all but those that only rewrite the label.</summary>
    private static List<ITransformer> ScoringSteps(ITransformer model, DataViewSchema schema)
    {
        var flat = new List<ITransformer>();
        Flatten(model, flat);
        var steps = new List<ITransformer>(flat.Count);
        for (var i = 0; i < flat.Count; i++)
        {
            var next = flat[i].GetOutputSchema(schema);
            if (i == flat.Count - 1 || !OnlyRewritesLabel(schema, next))
            {
                steps.Add(flat[i]);
            }

            schema = next;
        }

        return steps;
    }

    private static void Flatten(ITransformer model, List<ITransformer> into)
    {
        if (model is IEnumerable<ITransformer> chain)
        {
            foreach (var step in chain)
            {
                Flatten(step, into);
            }
        }
        else
        {
            into.Add(model);
        }
    }

    /// <summary>Whether every column that <paramref name="after"/> adds to <paramref name="before"/> is the label.</summary>
    private static bool OnlyRewritesLabel(DataViewSchema before, DataViewSchema after)
    {
        for (var i = before.Count; i < after.Count; i++)
        {
            if (after[i].Name != LabelColumn)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A type name a reader knows, with the model a prediction step wraps: "RegressionPredictionTransformer&lt;GamRegressionModelParameters&gt;".</summary>
    private static string Describe(ITransformer model)
    {
        var name = new StringBuilder();
        Append(name, model.GetType());
        return name.ToString();
    }

    private static void Append(StringBuilder name, Type type)
    {
        if (!type.IsGenericType)
        {
            name.Append(type.Name);
            return;
        }

        name.Append(type.Name.AsSpan(0, type.Name.IndexOf('`', StringComparison.Ordinal))).Append('<');
        var arguments = type.GetGenericArguments();
        for (var i = 0; i < arguments.Length; i++)
        {
            if (i > 0)
            {
                name.Append(", ");
            }

            Append(name, arguments[i]);
        }

        name.Append('>');
    }

    /// <summary>One row of zeros with the columns a model trained by <see cref="MlNet.MlNetTrainer"/> reads.</summary>
    private static IDataView Input(MLContext ml, int dimension, bool withLabel) => withLabel
        ? ml.Data.LoadFromEnumerable<LabeledRow>([new() { Features = new float[dimension] }], SchemaFor<LabeledRow>(dimension))
        : ml.Data.LoadFromEnumerable<FeaturesRow>([new() { Features = new float[dimension] }], SchemaFor<FeaturesRow>(dimension));

    private static SchemaDefinition SchemaFor<T>(int dimension)
    {
        var schema = SchemaDefinition.Create(typeof(T));
        schema[FeaturesColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        return schema;
    }

    private sealed class FeaturesRow
    {
        public float[] Features { get; set; } = [];
    }

    private sealed class LabeledRow
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }
}
