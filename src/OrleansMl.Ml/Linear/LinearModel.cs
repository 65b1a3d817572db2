using System.Buffers.Binary;
using System.Numerics.Tensors;

namespace OrleansMl.Ml.Linear;

/// <summary>A trained linear model: its kind, its input width, its classes and its weights (laid out as <see cref="LinearObjective.WeightIndex"/> says).</summary>
public sealed record LinearModel
{
    /// <summary>"OLIN" little-endian.</summary>
    private const uint Magic = 0x4E494C4F;
    private const int FormatVersion = 1;
    private const int HeaderBytes = 24;

    /// <summary>A model of <paramref name="kind"/> over <paramref name="dimension"/> features; <paramref name="classes"/> as <see cref="LinearObjective.Classes"/> says. The model keeps <paramref name="weights"/>: do not change it afterwards.</summary>
    public LinearModel(LinearModelKind kind, int dimension, int classes, double[] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Objective = LinearObjective.Create(kind, classes);
        if (weights.Length != Objective.WeightCount(dimension))
        {
            throw new ArgumentException($"A {kind} model over {dimension} features has {Objective.WeightCount(dimension)} weights, not {weights.Length}.", nameof(weights));
        }

        Kind = kind;
        Dimension = dimension;
        Classes = classes;
        Weights = weights;
    }

    public LinearModelKind Kind { get; }

    /// <summary>The number of features a row.</summary>
    public int Dimension { get; }

    /// <summary>The number of label classes: <c>C</c> for multiclass, 2 for binary logistic and SVM, 0 for regression.</summary>
    public int Classes { get; }

    /// <summary>The weights, biases included.</summary>
    public double[] Weights { get; }

    /// <summary>The loss this model is trained with, and its scoring.</summary>
    public LinearObjective Objective { get; }

    /// <summary>Reads a model written by <see cref="ToBytes"/>.</summary>
    public static LinearModel FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderBytes || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic)
        {
            throw new InvalidDataException("These bytes are not a linear model.");
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"The linear model is in format version {version}; this build reads version {FormatVersion}.");
        }

        var kind = (LinearModelKind)BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        var dimension = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        var classes = BinaryPrimitives.ReadInt32LittleEndian(bytes[16..]);
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes[20..]);
        if (count < 0 || bytes.Length != HeaderBytes + ((long)count * sizeof(double)))
        {
            throw new InvalidDataException($"The linear model claims {count} weights but holds {bytes.Length - HeaderBytes} bytes of them.");
        }

        var weights = new double[count];
        for (var i = 0; i < count; i++)
        {
            weights[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(HeaderBytes + (i * sizeof(double)))..]);
        }

        try
        {
            return new LinearModel(kind, dimension, classes, weights);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The linear model is inconsistent: {e.Message}", e);
        }
    }

    /// <summary>The model as bytes: a versioned little-endian header, then the weights' exact bits.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[HeaderBytes + (Weights.Length * sizeof(double))];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), (int)Kind);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), Dimension);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), Classes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(20), Weights.Length);
        for (var i = 0; i < Weights.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(HeaderBytes + (i * sizeof(double))), Weights[i]);
        }

        return bytes;
    }

    /// <summary>
    /// The outputs (<see cref="LinearObjective.Outputs"/> a row) for the rows of <paramref name="features"/>:
    /// class probabilities, the probability of label 1, the SVM margin or the regression prediction.
    /// </summary>
    public void Predict(ReadOnlySpan<float> features, Span<double> outputs) => Objective.Predict(features, Dimension, Weights, outputs);

    /// <summary>
    /// A classifier's predicted class for each row of <paramref name="features"/> into <paramref name="labels"/>,
    /// and its outputs (as <see cref="Predict(ReadOnlySpan{float}, Span{double})"/>) into <paramref name="outputs"/>.
    /// The class is the most probable (the lowest of tied classes), or 1 when the probability of 1 is
    /// over ½ or the SVM margin over 0.
    /// </summary>
    public void Predict(ReadOnlySpan<float> features, Span<long> labels, Span<double> outputs)
    {
        if (Kind == LinearModelKind.LinearRegression)
        {
            throw new InvalidOperationException("A regression model predicts values, not classes.");
        }

        var rows = features.Length / Dimension;
        if (labels.Length != rows)
        {
            throw new ArgumentException($"There are {rows} rows but room for {labels.Length} labels.", nameof(labels));
        }

        Predict(features, outputs);
        var width = Objective.Outputs;
        var threshold = Kind == LinearModelKind.BinaryLogistic ? 0.5 : 0.0;
        for (var r = 0; r < rows; r++)
        {
            labels[r] = width > 1
                ? TensorPrimitives.IndexOfMax(outputs.Slice(r * width, width))
                : outputs[r] > threshold ? 1 : 0;
        }
    }

    public bool Equals(LinearModel? other) =>
        other is not null && Kind == other.Kind && Dimension == other.Dimension && Classes == other.Classes && Weights.AsSpan().SequenceEqual(other.Weights);

    public override int GetHashCode() => HashCode.Combine(Kind, Dimension, Classes, Weights.Length);
}
