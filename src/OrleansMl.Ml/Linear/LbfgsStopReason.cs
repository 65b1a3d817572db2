namespace OrleansMl.Ml.Linear;

/// <summary>Why <see cref="Lbfgs"/> stopped.</summary>
public enum LbfgsStopReason
{
    /// <summary>The gradient fell below <see cref="LbfgsOptions.GradientTolerance"/> of its start: converged.</summary>
    GradientTolerance = 0,

    /// <summary>An iteration lowered the value by less than <see cref="LbfgsOptions.FunctionTolerance"/>: converged.</summary>
    FunctionTolerance = 1,

    /// <summary><see cref="LbfgsOptions.MaxIterations"/> were done.</summary>
    MaxIterations = 2,

    /// <summary>No step along the search direction (nor, after a reset, along the steepest descent) lowered the value enough.</summary>
    LineSearchFailed = 3,
}
