using System.Numerics.Tensors;
using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.Data;
using OrleansMl.Ml.MlNet;
using OrleansMl.Ml.Serving;

namespace OrleansMl.Ml.Tests.Serving;

/// <summary>ML.NET models exported to ONNX score as ML.NET scores them; plain ONNX graphs score as their maths says.</summary>
public sealed class OnnxTests
{
    private const int Dimension = ScorerData.Dimension;
    private const int Classes = ScorerData.Classes;

    [Theory]
    [MemberData(nameof(ScorerData.Algorithms), MemberType = typeof(ScorerData))]
    public void ExportedModelScoresLikeMlNet(string task, string algorithm)
    {
        var ml = new MLContext(seed: 42);
        var (features, labels) = ScorerData.Data(new Random(42), task, 300);
        var (model, _) = MlNetTrainer.Train(ml, task, algorithm, features, Dimension, labels, new Dictionary<string, string>());
        var (test, _) = ScorerData.Data(new Random(7), task, 200);
        var (expectedLabels, expectedScores) = MlNetTrainer.Predict(ml, model, task, test, Dimension);

        using var scorer = OnnxScorer.Load(Export(ml, model));
        var actualLabels = new long[200];
        var actualScores = new float[200 * scorer.ScoreWidth];
        scorer.Score(test, actualLabels, actualScores);

        Assert.Equal(OnnxExport.FeaturesColumn, scorer.InputName);
        Assert.Equal(Dimension, scorer.Dimension);
        Assert.Equal(task switch { "multiclass" => ScorerKind.Multiclass, "binary" => ScorerKind.Binary, _ => ScorerKind.Regression }, scorer.Kind);
        Assert.Equal(task == "multiclass" ? Classes : 1, scorer.ScoreWidth);
        Assert.Equal(expectedScores.Length, actualScores.Length);
        if (task != "regression")
        {
            Assert.Equal(expectedLabels, actualLabels);
        }

        for (var i = 0; i < expectedScores.Length; i++)
        {
            Assert.True(
                Math.Abs(expectedScores[i] - actualScores[i]) <= 1e-4 * Math.Max(1, Math.Abs(expectedScores[i])),
                $"Score {i}: ML.NET {expectedScores[i]}, ONNX {actualScores[i]}.");
        }
    }

    [Fact]
    public void ExportedModelScoresTheSameFromManyThreadsAtOnce()
    {
        var ml = new MLContext(seed: 42);
        var (features, labels) = ScorerData.Data(new Random(42), "multiclass", 300);
        var (model, _) = MlNetTrainer.Train(ml, "multiclass", "lbfgs_maxent", features, Dimension, labels, new Dictionary<string, string>());
        using var scorer = OnnxScorer.Load(Export(ml, model));
        var expectedLabels = new long[300];
        var expectedScores = new float[300 * Classes];
        scorer.Score(features, expectedLabels, expectedScores);

        Parallel.For(0, 16, _ =>
        {
            var actualLabels = new long[300];
            var actualScores = new float[300 * Classes];
            scorer.Score(features, actualLabels, actualScores);
            Assert.Equal(expectedLabels, actualLabels);
            Assert.Equal(expectedScores, actualScores);
        });
    }

    [Fact]
    public void ExportRejectsModelWithoutOnnxConversionNamingTheStep()
    {
        var ml = new MLContext(seed: 42);
        var (features, labels) = ScorerData.Data(new Random(42), "regression", 300);
        var model = ml.Transforms.NormalizeMinMax("Features").Append(ml.Regression.Trainers.Gam()).Fit(ScorerData.DataView(ml, features, labels));

        var error = Assert.Throws<NotSupportedException>(() => OnnxExport.Export(ml, model, Dimension, Stream.Null));

        Assert.Contains("its step RegressionPredictionTransformer<GamRegressionModelParameters> has none", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainMulticlassModelPredictsTheArgMaxOfItsScores()
    {
        var weights = Weights(new Random(3), Dimension * Classes);
        float[] bias = [0.5f, -0.25f, 0.125f];
        var (features, _) = ScorerData.Data(new Random(7), "multiclass", 50);

        using var scorer = OnnxScorer.Load(LinearGraph(weights, bias, Dimension, batch: null));
        var labels = new long[50];
        var scores = new float[50 * Classes];
        scorer.Score(features, labels, scores);

        Assert.Equal("x", scorer.InputName);
        Assert.Equal((Dimension, ScorerKind.Multiclass, Classes), (scorer.Dimension, scorer.Kind, scorer.ScoreWidth));
        var expected = Linear(features, weights, bias);
        for (var r = 0; r < 50; r++)
        {
            var row = expected.AsSpan(r * Classes, Classes);
            Assert.Equal(row.IndexOf(TensorPrimitives.Max(row)), labels[r]);
            for (var c = 0; c < Classes; c++)
            {
                Assert.Equal(row[c], scores[(r * Classes) + c], 1e-4f);
            }
        }
    }

    [Fact]
    public void PlainRegressionModelWithFixedBatchScoresAnyNumberOfRows()
    {
        var weights = Weights(new Random(5), Dimension);
        float[] bias = [2];
        var (features, _) = ScorerData.Data(new Random(7), "regression", 10);

        using var scorer = OnnxScorer.Load(LinearGraph(weights, bias, Dimension, batch: 4));
        var scores = new float[10];
        scorer.Score(features, [], scores);

        Assert.Equal((Dimension, ScorerKind.Regression, 1), (scorer.Dimension, scorer.Kind, scorer.ScoreWidth));
        var expected = Linear(features, weights, bias);
        for (var r = 0; r < 10; r++)
        {
            Assert.Equal(expected[r], scores[r], 1e-4f);
        }
    }

    [Fact]
    public void LoadRejectsModelWhoseInputWidthIsUnknown()
    {
        var graph = LinearGraph(Weights(new Random(5), Dimension), [0], dimension: null, batch: null);

        var error = Assert.Throws<NotSupportedException>(() => OnnxScorer.Load(graph));

        Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScoreRejectsFeaturesThatAreNotWholeRows()
    {
        using var scorer = OnnxScorer.Load(LinearGraph(Weights(new Random(5), Dimension), [0], Dimension, batch: null));

        Assert.Throws<ArgumentException>(() => scorer.Score(new float[Dimension + 1], [], new float[2]));
    }

    private static byte[] Export(MLContext ml, ITransformer model)
    {
        using var stream = new MemoryStream();
        OnnxExport.Export(ml, model, Dimension, stream);
        return stream.ToArray();
    }

    private static float[] Weights(Random random, int count)
    {
        var weights = new float[count];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = (2 * random.NextSingle()) - 1;
        }

        return weights;
    }

    /// <summary>features · weights + bias, with weights [Dimension, outputs] row-major.</summary>
    private static float[] Linear(float[] features, float[] weights, float[] bias)
    {
        var rows = features.Length / Dimension;
        var outputs = new float[rows * bias.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < bias.Length; c++)
            {
                var sum = bias[c];
                for (var j = 0; j < Dimension; j++)
                {
                    sum += features[(r * Dimension) + j] * weights[(j * bias.Length) + c];
                }

                outputs[(r * bias.Length) + c] = sum;
            }
        }

        return outputs;
    }

    /// <summary>
    /// A plain ONNX model, y = Gemm(x, W, b), written field by field in protobuf: input "x" float [batch or "N", dimension or "D"],
    /// output "y" float [batch or "N", outputs]. Field numbers are those of onnx.proto3.
    /// </summary>
    private static byte[] LinearGraph(float[] weights, float[] bias, int? dimension, int? batch)
    {
        var outputs = bias.Length;
        var inputDimension = weights.Length / outputs;
        var graph = Message(g =>
        {
            g.WriteTag(1, WireFormat.WireType.LengthDelimited); // node
            g.WriteBytes(Message(n =>
            {
                foreach (var input in new[] { "x", "W", "b" })
                {
                    n.WriteTag(1, WireFormat.WireType.LengthDelimited);
                    n.WriteString(input);
                }

                n.WriteTag(2, WireFormat.WireType.LengthDelimited);
                n.WriteString("y");
                n.WriteTag(4, WireFormat.WireType.LengthDelimited); // op_type
                n.WriteString("Gemm");
            }));
            g.WriteTag(2, WireFormat.WireType.LengthDelimited); // name
            g.WriteString("linear");
            g.WriteTag(5, WireFormat.WireType.LengthDelimited); // initializer
            g.WriteBytes(Tensor("W", [inputDimension, outputs], weights));
            g.WriteTag(5, WireFormat.WireType.LengthDelimited);
            g.WriteBytes(Tensor("b", [outputs], bias));
            g.WriteTag(11, WireFormat.WireType.LengthDelimited); // input
            g.WriteBytes(ValueInfo("x", batch, dimension));
            g.WriteTag(12, WireFormat.WireType.LengthDelimited); // output
            g.WriteBytes(ValueInfo("y", batch, outputs));
        });
        return Message(m =>
        {
            m.WriteTag(1, WireFormat.WireType.Varint); // ir_version
            m.WriteInt64(8);
            m.WriteTag(8, WireFormat.WireType.LengthDelimited); // opset_import
            m.WriteBytes(Message(o =>
            {
                o.WriteTag(2, WireFormat.WireType.Varint);
                o.WriteInt64(13);
            }));
            m.WriteTag(7, WireFormat.WireType.LengthDelimited); // graph
            m.WriteBytes(graph);
        }).ToByteArray();
    }

    private static ByteString Tensor(string name, long[] dims, float[] values) => Message(t =>
    {
        foreach (var dim in dims)
        {
            t.WriteTag(1, WireFormat.WireType.Varint);
            t.WriteInt64(dim);
        }

        t.WriteTag(2, WireFormat.WireType.Varint); // data_type FLOAT
        t.WriteInt32(1);
        t.WriteTag(8, WireFormat.WireType.LengthDelimited);
        t.WriteString(name);
        t.WriteTag(4, WireFormat.WireType.LengthDelimited); // float_data, packed
        t.WriteLength(values.Length * sizeof(float));
        foreach (var value in values)
        {
            t.WriteFloat(value);
        }
    });

    /// <summary>A float tensor [rows, columns]; a null size is a named (free) dimension.</summary>
    private static ByteString ValueInfo(string name, int? rows, int? columns) => Message(v =>
    {
        v.WriteTag(1, WireFormat.WireType.LengthDelimited);
        v.WriteString(name);
        v.WriteTag(2, WireFormat.WireType.LengthDelimited); // type
        v.WriteBytes(Message(type =>
        {
            type.WriteTag(1, WireFormat.WireType.LengthDelimited); // tensor_type
            type.WriteBytes(Message(tensor =>
            {
                tensor.WriteTag(1, WireFormat.WireType.Varint); // elem_type FLOAT
                tensor.WriteInt32(1);
                tensor.WriteTag(2, WireFormat.WireType.LengthDelimited); // shape
                tensor.WriteBytes(Message(shape =>
                {
                    foreach (var (size, symbol) in new[] { (rows, "N"), (columns, "D") })
                    {
                        shape.WriteTag(1, WireFormat.WireType.LengthDelimited); // dim
                        shape.WriteBytes(Message(dim =>
                        {
                            if (size is { } value)
                            {
                                dim.WriteTag(1, WireFormat.WireType.Varint); // dim_value
                                dim.WriteInt64(value);
                            }
                            else
                            {
                                dim.WriteTag(2, WireFormat.WireType.LengthDelimited); // dim_param
                                dim.WriteString(symbol);
                            }
                        }));
                    }
                }));
            }));
        }));
    });

    private static ByteString Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            write(output);
        }

        return ByteString.CopyFrom(buffer.ToArray());
    }
}
