using System.Numerics.Tensors;

namespace OrleansMl.Ml.Linear;

/// <summary>
/// A line search for the strong Wolfe conditions (Nocedal and Wright, algorithms 3.5 and 3.6) along
/// one direction: sufficient decrease f(x + a·d) ≤ f(x) + c₁·a·g·d and curvature
/// |g(x + a·d)·d| ≤ c₂·|g·d|, by doubling the step until a minimum is bracketed, then safeguarded
/// cubic interpolation. When the evaluations run out it settles for the lowest point that met
/// sufficient decrease, if any.
/// </summary>
internal sealed class LbfgsLineSearch(
    Func<double[], double[], CancellationToken, ValueTask<double>> objective,
    double[] x,
    double value,
    double[] gradient,
    double[] direction,
    int maxEvaluations,
    CancellationToken ct)
{
    private const double SufficientDecrease = 1e-4;
    private const double Curvature = 0.9;

    private readonly Point _start = new(0, value, TensorPrimitives.Dot<double>(gradient, direction), x, gradient);

    /// <summary>The objective evaluations spent so far.</summary>
    public int Evaluations { get; private set; }

    /// <summary>The slope g·d at the start; a search direction must have it negative.</summary>
    public double StartSlope => _start.Slope;

    /// <summary>Searches from the trial <paramref name="step"/>; the accepted point, or null.</summary>
    public async ValueTask<Point?> SearchAsync(double step)
    {
        var previous = _start;
        while (Evaluations < maxEvaluations && step > 0 && double.IsFinite(step))
        {
            var point = await EvaluateAsync(step);
            if (!Decreases(point) || (previous.Step > 0 && point.Value >= previous.Value))
            {
                return await ZoomAsync(previous, point);
            }

            if (Flat(point))
            {
                return point;
            }

            if (point.Slope >= 0)
            {
                return await ZoomAsync(point, previous);
            }

            previous = point;
            step *= 2;
        }

        return previous.Step > 0 ? previous : null;
    }

    /// <summary>Narrows the bracket [low, high]; low is always the lowest point yet that met sufficient decrease.</summary>
    private async ValueTask<Point?> ZoomAsync(Point low, Point high)
    {
        while (Evaluations < maxEvaluations && Math.Abs(high.Step - low.Step) > 1e-15 * Math.Max(high.Step, low.Step))
        {
            var point = await EvaluateAsync(Interpolate(low, high));
            if (!Decreases(point) || point.Value >= low.Value)
            {
                high = point;
                continue;
            }

            if (Flat(point))
            {
                return point;
            }

            if (point.Slope * (high.Step - low.Step) >= 0)
            {
                high = low;
            }

            low = point;
        }

        return low.Step > 0 ? low : null;
    }

    private bool Decreases(Point point) =>
        double.IsFinite(point.Value) && point.Value <= _start.Value + (SufficientDecrease * point.Step * _start.Slope);

    private bool Flat(Point point) => Math.Abs(point.Slope) <= -Curvature * _start.Slope;

    /// <summary>The minimiser of the cubic through the two points when it lies in the middle 80% of the interval; else the midpoint.</summary>
    private static double Interpolate(Point a, Point b)
    {
        var middle = 0.5 * (a.Step + b.Step);
        if (!double.IsFinite(b.Value) || !double.IsFinite(b.Slope))
        {
            return middle;
        }

        var d1 = a.Slope + b.Slope - (3 * (a.Value - b.Value) / (a.Step - b.Step));
        var root = (d1 * d1) - (a.Slope * b.Slope);
        if (!(root >= 0))
        {
            return middle;
        }

        var d2 = Math.CopySign(Math.Sqrt(root), b.Step - a.Step);
        var step = b.Step - ((b.Step - a.Step) * (b.Slope + d2 - d1) / (b.Slope - a.Slope + (2 * d2)));
        var margin = 0.1 * Math.Abs(b.Step - a.Step);
        return step >= Math.Min(a.Step, b.Step) + margin && step <= Math.Max(a.Step, b.Step) - margin ? step : middle;
    }

    private async ValueTask<Point> EvaluateAsync(double step)
    {
        ct.ThrowIfCancellationRequested();
        var trial = new double[x.Length];
        TensorPrimitives.MultiplyAdd(direction, step, x, trial);
        var trialGradient = new double[x.Length];
        var trialValue = await objective(trial, trialGradient, ct);
        Evaluations++;
        return new Point(step, trialValue, TensorPrimitives.Dot<double>(trialGradient, direction), trial, trialGradient);
    }

    /// <summary>An evaluated point x + step·direction: its value, its slope along the direction, its gradient.</summary>
    public sealed record Point(double Step, double Value, double Slope, double[] X, double[] Gradient);
}
