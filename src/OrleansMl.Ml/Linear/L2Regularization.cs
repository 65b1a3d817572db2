using System.Numerics.Tensors;

namespace OrleansMl.Ml.Linear;

/// <summary>The L2 penalty λ/2·|w|² of a linear model's feature weights (biases are not penalised).</summary>
public static class L2Regularization
{
    /// <summary>
    /// Adds λ·w onto <paramref name="gradient"/> for the feature weights of <paramref name="weights"/>
    /// (laid out as <see cref="LinearObjective.WeightIndex"/> says) and returns <paramref name="value"/> + λ/2·|w|².
    /// </summary>
    public static double Add(double value, ReadOnlySpan<double> weights, int dimension, double lambda, Span<double> gradient)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (!(lambda >= 0 && double.IsFinite(lambda)))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "The L2 strength must be a finite number ≥ 0.");
        }

        var row = dimension + 1;
        if (weights.Length == 0 || weights.Length % row != 0)
        {
            throw new ArgumentException($"The weights hold {weights.Length} values, not a whole number of {row}-long (weights and bias) rows.", nameof(weights));
        }

        if (gradient.Length != weights.Length)
        {
            throw new ArgumentException($"The gradient has {gradient.Length} values, not {weights.Length} like the weights.", nameof(gradient));
        }

        if (lambda == 0)
        {
            return value;
        }

        var squares = 0.0;
        for (var start = 0; start < weights.Length; start += row)
        {
            var w = weights.Slice(start, dimension);
            var g = gradient.Slice(start, dimension);
            squares += TensorPrimitives.SumOfSquares(w);
            TensorPrimitives.MultiplyAdd(w, lambda, g, g);
        }

        return value + (0.5 * lambda * squares);
    }
}
