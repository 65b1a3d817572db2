using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;

namespace OrleansMl.Ml.Linear;

/// <summary>
/// The loss of a linear model over a block of rows, and its gradient, for data-parallel training:
/// each partition adds the sums of its rows, a coordinator adds the partitions' sums in a fixed order
/// (plus <see cref="L2Regularization"/>) and drives <see cref="Lbfgs"/>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Weights.</b> A model has <see cref="Outputs"/> score columns (the classes of a multiclass model,
/// one otherwise), each with <c>dimension</c> feature weights followed by its bias: weight
/// <c>(output, feature)</c> is at <see cref="WeightIndex"/> = <c>output · (dimension + 1) + feature</c>,
/// the bias at <c>feature = dimension</c>. So a binary model is <c>[w₀ … w_{d−1}, b]</c>.
/// </para>
/// <para>
/// <b>Exactness.</b> Everything is computed in double precision from the float features. A gradient
/// element is one running sum over the rows in order, so one call over all the rows and the
/// partition sums added together agree to the rounding of the final additions only. A call's
/// result depends only on its inputs: bit for bit the same on every run on one kind of machine (the
/// softmax's exp comes from <see cref="TensorPrimitives"/>, whose last bits may follow the machine's
/// vector width).
/// </para>
/// <para>An instance holds no state: any number of calls may run at once.</para>
/// </remarks>
public sealed class LinearObjective
{
    /// <summary>About 256 KB of widened rows a block, so a block stays in the L2 cache between its two passes.</summary>
    private const int BlockDoubles = 32 * 1024;

    private const int MaxBlockRows = 256;

    private LinearObjective(LinearModelKind kind, int classes, int outputs)
    {
        Kind = kind;
        Classes = classes;
        Outputs = outputs;
    }

    /// <summary>Logistic regression for labels 0 and 1.</summary>
    public static LinearObjective BinaryLogistic { get; } = new(LinearModelKind.BinaryLogistic, 2, 1);

    /// <summary>Least squares (½(ŷ − y)² a row).</summary>
    public static LinearObjective LinearRegression { get; } = new(LinearModelKind.LinearRegression, 0, 1);

    /// <summary>A linear SVM with the squared hinge loss, for labels 0 and 1.</summary>
    public static LinearObjective LinearSvm { get; } = new(LinearModelKind.LinearSvm, 2, 1);

    /// <summary>The kind of model.</summary>
    public LinearModelKind Kind { get; }

    /// <summary>The number of label classes: <c>C</c> for multiclass, 2 for binary logistic and SVM, 0 for regression.</summary>
    public int Classes { get; }

    /// <summary>The number of scores a row: <c>C</c> for multiclass, 1 otherwise.</summary>
    public int Outputs { get; }

    /// <summary>Softmax regression over <paramref name="classes"/> classes (labels 0 to classes − 1).</summary>
    public static LinearObjective MulticlassLogistic(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        return new(LinearModelKind.MulticlassLogistic, classes, classes);
    }

    /// <summary>The objective of <paramref name="kind"/>; <paramref name="classes"/> must be what <see cref="Classes"/> says for it.</summary>
    public static LinearObjective Create(LinearModelKind kind, int classes)
    {
        var objective = kind switch
        {
            LinearModelKind.MulticlassLogistic => classes >= 2 ? MulticlassLogistic(classes) : null,
            LinearModelKind.BinaryLogistic => BinaryLogistic,
            LinearModelKind.LinearRegression => LinearRegression,
            LinearModelKind.LinearSvm => LinearSvm,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown linear model kind."),
        };
        if (objective is null || objective.Classes != classes)
        {
            var expected = kind == LinearModelKind.MulticlassLogistic ? "2 or more" : objective!.Classes.ToString(CultureInfo.InvariantCulture);
            throw new ArgumentOutOfRangeException(nameof(classes), classes, $"A {kind} model has {expected} classes.");
        }

        return objective;
    }

    /// <summary>The index of weight (<paramref name="output"/>, <paramref name="feature"/>); <paramref name="feature"/> = <paramref name="dimension"/> is the bias.</summary>
    public static int WeightIndex(int dimension, int output, int feature) => (output * (dimension + 1)) + feature;

    /// <summary>The number of weights of a model over <paramref name="dimension"/> features, biases included.</summary>
    public int WeightCount(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        return checked((dimension + 1) * Outputs);
    }

    /// <summary>
    /// Adds the gradient, with respect to <paramref name="weights"/>, of the loss summed over the rows of
    /// <paramref name="features"/> (row-major, <paramref name="dimension"/> floats a row) onto
    /// <paramref name="gradient"/>, and returns that loss sum: unregularised, not averaged, so the
    /// results of several blocks of rows add up to the result of all of them.
    /// </summary>
    /// <param name="labels">A label a row: a class number for classifiers, the target for regression.</param>
    public double AddLossAndGradient(ReadOnlySpan<float> features, int dimension, ReadOnlySpan<double> labels, ReadOnlySpan<double> weights, Span<double> gradient) =>
        Accumulate(features, dimension, labels, weights, gradient);

    /// <inheritdoc cref="AddLossAndGradient(ReadOnlySpan{float}, int, ReadOnlySpan{double}, ReadOnlySpan{double}, Span{double})"/>
    public double AddLossAndGradient(ReadOnlySpan<float> features, int dimension, ReadOnlySpan<long> labels, ReadOnlySpan<double> weights, Span<double> gradient) =>
        Accumulate(features, dimension, labels, weights, gradient);

    /// <summary>The raw scores (<see cref="Outputs"/> a row, row-major) of the rows of <paramref name="features"/> into <paramref name="scores"/>.</summary>
    public void Scores(ReadOnlySpan<float> features, int dimension, ReadOnlySpan<double> weights, Span<double> scores) =>
        Forward(features, dimension, weights, scores, probabilities: false);

    /// <summary>
    /// The model's outputs for the rows of <paramref name="features"/> into <paramref name="outputs"/>
    /// (<see cref="Outputs"/> a row): class probabilities for multiclass, the probability of label 1
    /// for binary logistic, the raw score for regression and SVM.
    /// </summary>
    public void Predict(ReadOnlySpan<float> features, int dimension, ReadOnlySpan<double> weights, Span<double> outputs) =>
        Forward(features, dimension, weights, outputs, probabilities: true);

    private double Accumulate<TLabel>(ReadOnlySpan<float> features, int dimension, ReadOnlySpan<TLabel> labels, ReadOnlySpan<double> weights, Span<double> gradient)
        where TLabel : unmanaged, INumberBase<TLabel>
    {
        var rows = CheckRows(features, dimension, weights);
        if (labels.Length != rows)
        {
            throw new ArgumentException($"There are {rows} rows but {labels.Length} labels.", nameof(labels));
        }

        if (gradient.Length != weights.Length)
        {
            throw new ArgumentException($"The gradient has {gradient.Length} values, not {weights.Length} like the weights.", nameof(gradient));
        }

        using var block = new Block(this, dimension, weights, withGradient: true);
        var total = 0.0;
        for (var start = 0; start < rows; start += block.Rows)
        {
            var count = Math.Min(block.Rows, rows - start);
            var x = block.Load(features, start, count);
            var scores = block.Scores;
            LinearKernels.Scores(x, Block.Padded(count), block.Stride, block.Weights, block.Bias, Outputs, scores);
            var y = block.Labels[..count];
            for (var r = 0; r < count; r++)
            {
                y[r] = double.CreateTruncating(labels[start + r]);
            }

            total = LinearLosses.AddResiduals(Kind, scores, count, Outputs, y, start, block.Scratch, total);
            LinearKernels.AddGradient(x, count, block.Stride, scores, Outputs, block.Gradient, block.BiasGradient);
        }

        block.AddGradientTo(gradient);
        return total;
    }

    private void Forward(ReadOnlySpan<float> features, int dimension, ReadOnlySpan<double> weights, Span<double> outputs, bool probabilities)
    {
        var rows = CheckRows(features, dimension, weights);
        if (outputs.Length != (long)rows * Outputs)
        {
            throw new ArgumentException($"{rows} rows need {(long)rows * Outputs} outputs, not {outputs.Length}.", nameof(outputs));
        }

        using var block = new Block(this, dimension, weights, withGradient: false);
        for (var start = 0; start < rows; start += block.Rows)
        {
            var count = Math.Min(block.Rows, rows - start);
            var x = block.Load(features, start, count);
            LinearKernels.Scores(x, Block.Padded(count), block.Stride, block.Weights, block.Bias, Outputs, block.Scores);
            var target = outputs.Slice(start * Outputs, count * Outputs);
            block.Scores[..target.Length].CopyTo(target);
            if (probabilities)
            {
                LinearLosses.ToOutputs(Kind, target, Outputs);
            }
        }
    }

    private int CheckRows(ReadOnlySpan<float> features, int dimension, ReadOnlySpan<double> weights)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (features.Length % dimension != 0)
        {
            throw new ArgumentException($"The features hold {features.Length} floats, not a whole number of {dimension}-long rows.", nameof(features));
        }

        if (weights.Length != WeightCount(dimension))
        {
            throw new ArgumentException($"A {Kind} model over {dimension} features with {Outputs} outputs has {WeightCount(dimension)} weights, not {weights.Length}.", nameof(weights));
        }

        return features.Length / dimension;
    }

    /// <summary>The working memory of one call: padded weights, a block of widened rows, its scores and the gradient sums, in one pooled array.</summary>
    private ref struct Block
    {
        private readonly double[] _buffer;
        private readonly int _dimension;
        private readonly int _outputs;

        public Block(LinearObjective objective, int dimension, ReadOnlySpan<double> weights, bool withGradient)
        {
            _dimension = dimension;
            _outputs = objective.Outputs;
            Stride = LinearKernels.Stride(dimension);
            Rows = Math.Clamp(BlockDoubles / Stride, 4, MaxBlockRows) & ~3;
            var parameters = _outputs * Stride;
            var sums = withGradient ? parameters + _outputs : 0;
            _buffer = ArrayPool<double>.Shared.Rent(parameters + _outputs + (Rows * (Stride + _outputs + 2)) + sums);
            var offset = 0;
            Weights = Take(_buffer, ref offset, parameters);
            Bias = Take(_buffer, ref offset, _outputs);
            Features = Take(_buffer, ref offset, Rows * Stride);
            Scores = Take(_buffer, ref offset, Rows * _outputs);
            Labels = Take(_buffer, ref offset, Rows);
            Scratch = Take(_buffer, ref offset, Rows);
            Gradient = Take(_buffer, ref offset, withGradient ? parameters : 0);
            BiasGradient = Take(_buffer, ref offset, withGradient ? _outputs : 0);
            Gradient.Clear();
            BiasGradient.Clear();
            for (var c = 0; c < _outputs; c++)
            {
                var source = weights.Slice(c * (dimension + 1), dimension + 1);
                var target = Weights.Slice(c * Stride, Stride);
                source[..dimension].CopyTo(target);
                target[dimension..].Clear();
                Bias[c] = source[dimension];
            }
        }

        public int Stride { get; }

        public int Rows { get; }

        public Span<double> Weights { get; }

        public Span<double> Bias { get; }

        public Span<double> Features { get; }

        public Span<double> Scores { get; }

        public Span<double> Labels { get; }

        public Span<double> Scratch { get; }

        public Span<double> Gradient { get; }

        public Span<double> BiasGradient { get; }

        /// <summary>The rows the score kernel runs over for <paramref name="count"/> rows: a whole number of 4.</summary>
        public static int Padded(int count) => (count + 3) & ~3;

        /// <summary>Widens rows [start, start + count) into the block, then zero rows up to <see cref="Padded"/>.</summary>
        public readonly Span<double> Load(ReadOnlySpan<float> features, int start, int count)
        {
            LinearKernels.Widen(features.Slice(start * _dimension, count * _dimension), count, _dimension, Features, Stride);
            Features[(count * Stride)..(Padded(count) * Stride)].Clear();
            return Features;
        }

        public readonly void AddGradientTo(Span<double> gradient)
        {
            for (var c = 0; c < _outputs; c++)
            {
                var target = gradient.Slice(c * (_dimension + 1), _dimension + 1);
                TensorPrimitives.Add(target[.._dimension], Gradient.Slice(c * Stride, _dimension), target[.._dimension]);
                target[_dimension] += BiasGradient[c];
            }
        }

        public readonly void Dispose() => ArrayPool<double>.Shared.Return(_buffer);

        private static Span<double> Take(double[] buffer, scoped ref int offset, int length)
        {
            var taken = buffer.AsSpan(offset, length);
            offset += length;
            return taken;
        }
    }
}
