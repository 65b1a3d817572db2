using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace OrleansMl.Ml.Serving;

/// <summary>
/// Scores rows with an ONNX model in ONNX Runtime. Reads two kinds of model: what <see cref="OnnxExport"/> writes
/// (outputs "PredictedLabel.output", "Score.output", "Probability.output"; multiclass labels are 1-based keys, so class = key - 1),
/// and a plain model whose one input is a float tensor [N, D] and whose one output is a float tensor
/// [N, C] (multiclass scores; the label is the arg max) or [N] / [N, 1] (regression).
/// A fixed batch size N is served in runs of N rows. Safe to call from many threads at once.
/// </summary>
public sealed class OnnxScorer : IScorer
{
    private const string PredictedLabelOutput = "PredictedLabel.output";
    private const string ScoreOutput = "Score.output";
    private const string ProbabilityOutput = "Probability.output";

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new(); // read-only once made, so shared by concurrent runs as InferenceSession's own is
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly bool _keyedLabels;
    private readonly int _batch;

    private OnnxScorer(InferenceSession session, string inputName, int dimension, int batch, ScorerKind kind, int scoreWidth, string? labelOutput, string scoreOutput)
    {
        _session = session;
        _inputNames = [inputName];
        _outputNames = labelOutput is null ? [scoreOutput] : [scoreOutput, labelOutput];
        _keyedLabels = labelOutput is not null;
        _batch = batch;
        Dimension = dimension;
        Kind = kind;
        ScoreWidth = scoreWidth;
    }

    /// <summary>The name of the model's one input, a float tensor [N, <see cref="Dimension"/>].</summary>
    public string InputName => _inputNames[0];

    /// <inheritdoc/>
    public int Dimension { get; }

    /// <inheritdoc/>
    public ScorerKind Kind { get; }

    /// <inheritdoc/>
    public int ScoreWidth { get; }

    /// <summary>Loads an ONNX model from its bytes and works out its input, outputs and kind.</summary>
    /// <exception cref="NotSupportedException">The model's inputs or outputs are not of a shape this scorer reads; the message says which.</exception>
    public static OnnxScorer Load(byte[] model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var session = new InferenceSession(model);
        try
        {
            return Create(session);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public void Score(ReadOnlySpan<float> features, Span<long> labels, Span<float> scores)
    {
        if (features.Length % Dimension != 0)
        {
            throw new ArgumentException($"{features.Length} features are not a whole number of rows of {Dimension}.", nameof(features));
        }

        var rows = features.Length / Dimension;
        if (Kind != ScorerKind.Regression && labels.Length < rows)
        {
            throw new ArgumentException($"{rows} rows need {rows} labels; the span holds {labels.Length}.", nameof(labels));
        }

        if (scores.Length < rows * ScoreWidth)
        {
            throw new ArgumentException($"{rows} rows need {rows * ScoreWidth} scores; the span holds {scores.Length}.", nameof(scores));
        }

        var batch = _batch > 0 ? _batch : Math.Max(rows, 1);
        for (var start = 0; start < rows; start += batch)
        {
            var count = Math.Min(batch, rows - start);
            Run(
                features.Slice(start * Dimension, count * Dimension),
                _batch > 0 ? _batch : count,
                Kind == ScorerKind.Regression ? labels : labels[start..],
                scores.Slice(start * ScoreWidth, count * ScoreWidth));
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    /// <summary>Scores the rows of <paramref name="features"/> in one run of <paramref name="runRows"/> rows, zero-padded past the last.</summary>
    private void Run(ReadOnlySpan<float> features, int runRows, Span<long> labels, Span<float> scores)
    {
        var rows = features.Length / Dimension;
        using var input = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, [runRows, Dimension]);
        var inputData = input.GetTensorMutableDataAsSpan<float>();
        features.CopyTo(inputData);
        inputData[features.Length..].Clear();

        using var outputs = _session.Run(_runOptions, _inputNames, [input], _outputNames);
        var scoreData = outputs[0].GetTensorDataAsSpan<float>();
        if (scoreData.Length < rows * ScoreWidth)
        {
            throw new InvalidOperationException($"Output '{_outputNames[0]}' holds {scoreData.Length} numbers for {rows} rows of {ScoreWidth}.");
        }

        scoreData[..scores.Length].CopyTo(scores);
        if (Kind == ScorerKind.Regression)
        {
            return;
        }

        if (!_keyedLabels)
        {
            for (var i = 0; i < rows; i++)
            {
                labels[i] = TensorPrimitives.IndexOfMax(scores.Slice(i * ScoreWidth, ScoreWidth));
            }
        }
        else if (Kind == ScorerKind.Binary)
        {
            var predicted = outputs[1].GetTensorDataAsSpan<bool>();
            for (var i = 0; i < rows; i++)
            {
                labels[i] = predicted[i] ? 1 : 0;
            }
        }
        else
        {
            var keys = outputs[1].GetTensorDataAsSpan<uint>();
            for (var i = 0; i < rows; i++)
            {
                labels[i] = keys[i] - 1L; // keys are 1-based, in class order; key 0 (missing) becomes -1
            }
        }
    }

    private static OnnxScorer Create(InferenceSession session)
    {
        if (session.InputMetadata.Count != 1)
        {
            throw new NotSupportedException($"An ONNX model to score must have one input, a float tensor [N, D]; this one has {Describe(session.InputMetadata)}.");
        }

        var (inputName, input) = session.InputMetadata.First();
        if (!input.IsTensor || input.ElementDataType != TensorElementType.Float || input.Dimensions is not [var rows, > 0 and var dimension])
        {
            throw new NotSupportedException($"An ONNX model to score must have one input, a float tensor [N, D] with D known; this one has {Describe(session.InputMetadata)}.");
        }

        var batch = Math.Max(rows, 0); // a free (symbolic) batch size reads as -1
        var outputs = session.OutputMetadata;
        if (outputs.TryGetValue(PredictedLabelOutput, out var predicted) && outputs.TryGetValue(ScoreOutput, out var score))
        {
            if (predicted.ElementDataType == TensorElementType.Bool)
            {
                var binaryScore = outputs.ContainsKey(ProbabilityOutput) ? ProbabilityOutput : ScoreOutput;
                return new OnnxScorer(session, inputName, dimension, batch, ScorerKind.Binary, 1, PredictedLabelOutput, binaryScore);
            }

            if (predicted.ElementDataType == TensorElementType.UInt32 && Width(score) is > 0 and var classes)
            {
                return new OnnxScorer(session, inputName, dimension, batch, ScorerKind.Multiclass, classes, PredictedLabelOutput, ScoreOutput);
            }

            throw new NotSupportedException($"The ONNX model's outputs are not those of an ML.NET classifier: {Describe(outputs)}.");
        }

        if (outputs.TryGetValue(ScoreOutput, out var regression) && Width(regression) == 1)
        {
            return new OnnxScorer(session, inputName, dimension, batch, ScorerKind.Regression, 1, null, ScoreOutput);
        }

        if (outputs.Count == 1)
        {
            var (outputName, output) = outputs.First();
            var width = Width(output);
            if (width == 1)
            {
                return new OnnxScorer(session, inputName, dimension, batch, ScorerKind.Regression, 1, null, outputName);
            }

            if (width > 1)
            {
                return new OnnxScorer(session, inputName, dimension, batch, ScorerKind.Multiclass, width, null, outputName);
            }
        }

        throw new NotSupportedException(
            $"An ONNX model to score must have one output, a float tensor [N, C] (multiclass) or [N] / [N, 1] (regression), or ML.NET's outputs; this one has {Describe(outputs)}.");
    }

    /// <summary>Numbers per row of a float output [N], [N, 1] or [N, C]; 0 when the output is not one of those.</summary>
    private static int Width(NodeMetadata output)
    {
        if (!output.IsTensor || output.ElementDataType != TensorElementType.Float)
        {
            return 0;
        }

        return output.Dimensions switch
        {
            [_] => 1,
            [_, > 0 and var width] => width,
            _ => 0,
        };
    }

    private static string Describe(IReadOnlyDictionary<string, NodeMetadata> nodes) =>
        nodes.Count == 0
            ? "none"
            : string.Join(", ", nodes.Select(node => node.Value.IsTensor
                ? $"'{node.Key}' {node.Value.ElementDataType} [{string.Join(", ", node.Value.Dimensions)}]"
                : $"'{node.Key}' {node.Value.OnnxValueType}"));
}
