using System.Numerics.Tensors;

namespace OrleansMl.Ml.Linear;

/// <summary>
/// Per-kind losses over a block of scores: each turns the scores into residuals (∂loss/∂score) in
/// place and adds the rows' losses, in row order, onto a running total; or turns scores into outputs.
/// </summary>
internal static class LinearLosses
{
    /// <summary>
    /// Replaces <paramref name="rows"/> rows of <paramref name="outputs"/> scores with their residuals
    /// and returns <paramref name="total"/> plus the rows' losses. <paramref name="firstRow"/> is the
    /// first row's number in the caller's span, for error messages; <paramref name="scratch"/> holds at
    /// least <paramref name="rows"/> doubles.
    /// </summary>
    public static double AddResiduals(LinearModelKind kind, Span<double> scores, int rows, int outputs, ReadOnlySpan<double> labels, int firstRow, Span<double> scratch, double total) => kind switch
    {
        LinearModelKind.MulticlassLogistic => Softmax(scores[..(rows * outputs)], rows, outputs, labels, firstRow, scratch, total),
        LinearModelKind.BinaryLogistic => Logistic(scores[..rows], labels, firstRow, total),
        LinearModelKind.LinearRegression => Squared(scores[..rows], labels, firstRow, total),
        LinearModelKind.LinearSvm => SquaredHinge(scores[..rows], labels, firstRow, total),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown linear model kind."),
    };

    /// <summary>Turns scores into outputs in place: softmax probabilities, the probability of 1, or the scores as they are.</summary>
    public static void ToOutputs(LinearModelKind kind, Span<double> scores, int outputs)
    {
        if (kind == LinearModelKind.MulticlassLogistic)
        {
            for (var start = 0; start < scores.Length; start += outputs)
            {
                var row = scores.Slice(start, outputs);
                TensorPrimitives.Subtract(row, TensorPrimitives.Max(row), row);
            }

            TensorPrimitives.Exp(scores, scores);
            for (var start = 0; start < scores.Length; start += outputs)
            {
                var row = scores.Slice(start, outputs);
                TensorPrimitives.Divide(row, TensorPrimitives.Sum(row), row);
            }
        }
        else if (kind == LinearModelKind.BinaryLogistic)
        {
            for (var r = 0; r < scores.Length; r++)
            {
                scores[r] = Sigmoid(scores[r], Math.Exp(-Math.Abs(scores[r])));
            }
        }
    }

    private static double Softmax(Span<double> scores, int rows, int classes, ReadOnlySpan<double> labels, int firstRow, Span<double> truth, double total)
    {
        for (var r = 0; r < rows; r++)
        {
            var label = labels[r];
            if (!(label >= 0 && label < classes && label == Math.Floor(label)))
            {
                throw new ArgumentException($"Row {firstRow + r} has label {label}; a {classes}-class logistic model takes the whole numbers 0 to {classes - 1}.", nameof(labels));
            }

            var row = scores.Slice(r * classes, classes);
            TensorPrimitives.Subtract(row, TensorPrimitives.Max(row), row);
            truth[r] = row[(int)label];
        }

        TensorPrimitives.Exp(scores, scores);
        for (var r = 0; r < rows; r++)
        {
            var row = scores.Slice(r * classes, classes);
            var sum = TensorPrimitives.Sum(row);
            total += Math.Log(sum) - truth[r];
            TensorPrimitives.Divide(row, sum, row);
            row[(int)labels[r]] -= 1;
        }

        return total;
    }

    private static double Logistic(Span<double> scores, ReadOnlySpan<double> labels, int firstRow, double total)
    {
        for (var r = 0; r < scores.Length; r++)
        {
            var y = ZeroOrOne(labels[r], firstRow + r, "logistic");
            var s = scores[r];
            var e = Math.Exp(-Math.Abs(s));

            // ln(1 + exp(s)) − y·s, written so neither exp overflows nor small terms vanish.
            total += Math.Max(s, 0) - (y * s) + LogOnePlus(e);
            scores[r] = Sigmoid(s, e) - y;
        }

        return total;
    }

    private static double Squared(Span<double> scores, ReadOnlySpan<double> labels, int firstRow, double total)
    {
        for (var r = 0; r < scores.Length; r++)
        {
            var y = labels[r];
            if (!double.IsFinite(y))
            {
                throw new ArgumentException($"Row {firstRow + r} has label {y}; a regression label must be a finite number.", nameof(labels));
            }

            var residual = scores[r] - y;
            total += 0.5 * residual * residual;
            scores[r] = residual;
        }

        return total;
    }

    private static double SquaredHinge(Span<double> scores, ReadOnlySpan<double> labels, int firstRow, double total)
    {
        for (var r = 0; r < scores.Length; r++)
        {
            var sign = (2 * ZeroOrOne(labels[r], firstRow + r, "SVM")) - 1;
            var margin = 1 - (sign * scores[r]);
            if (margin > 0)
            {
                total += margin * margin;
                scores[r] = -2 * sign * margin;
            }
            else
            {
                scores[r] = 0;
            }
        }

        return total;
    }

    private static double ZeroOrOne(double label, int row, string model) => label is 0 or 1
        ? label
        : throw new ArgumentException($"Row {row} has label {label}; a binary {model} model takes 0 or 1.", "labels");

    /// <summary>1 / (1 + exp(−s)) given <paramref name="e"/> = exp(−|s|), without overflow.</summary>
    private static double Sigmoid(double s, double e) => s >= 0 ? 1 / (1 + e) : e / (1 + e);

    /// <summary>ln(1 + e) to a few ulps for any e ≥ 0 (Goldberg's correction of the rounded 1 + e).</summary>
    private static double LogOnePlus(double e)
    {
        var u = 1 + e;
        return u == 1 ? e : Math.Log(u) * e / (u - 1);
    }
}
