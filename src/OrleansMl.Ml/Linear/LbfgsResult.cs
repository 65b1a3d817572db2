namespace OrleansMl.Ml.Linear;

/// <summary>The outcome of <see cref="Lbfgs.MinimizeAsync"/>.</summary>
/// <param name="X">The best point reached.</param>
/// <param name="Value">The objective at <paramref name="X"/>.</param>
/// <param name="Gradient">The gradient at <paramref name="X"/>.</param>
/// <param name="Iterations">The iterations done, those before a resume included.</param>
/// <param name="Evaluations">The objective evaluations done, those before a resume included.</param>
/// <param name="Converged">Whether a tolerance was met.</param>
/// <param name="StopReason">Why the optimiser stopped.</param>
/// <param name="History">The value at the start point, then after each iteration (<paramref name="Iterations"/> + 1 values).</param>
public sealed record LbfgsResult(
    double[] X,
    double Value,
    double[] Gradient,
    int Iterations,
    int Evaluations,
    bool Converged,
    LbfgsStopReason StopReason,
    IReadOnlyList<double> History);
