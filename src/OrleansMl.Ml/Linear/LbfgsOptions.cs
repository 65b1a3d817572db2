namespace OrleansMl.Ml.Linear;

/// <summary>Settings of <see cref="Lbfgs"/>.</summary>
public sealed class LbfgsOptions
{
    /// <summary>The number of recent (step, gradient change) pairs kept for the inverse Hessian estimate. Default 10.</summary>
    public int Memory { get; set; } = 10;

    /// <summary>The iteration count after which the optimiser stops, counting those before a resume. Default 100.</summary>
    public int MaxIterations { get; set; } = 100;

    /// <summary>Converged when |g| ≤ this × |g₀|, g₀ the gradient at the start point. Default 1e-5.</summary>
    public double GradientTolerance { get; set; } = 1e-5;

    /// <summary>Converged when an iteration lowers the value by ≤ this × max(|f_before|, |f_after|). Default 1e-9.</summary>
    public double FunctionTolerance { get; set; } = 1e-9;

    /// <summary>The objective evaluations one line search may take before it gives up. Default 20.</summary>
    public int MaxLineSearchEvaluations { get; set; } = 20;

    /// <summary>Throws, naming the setting, when one is out of range.</summary>
    public void Validate()
    {
        if (Memory < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Memory), Memory, "LbfgsOptions.Memory must be at least 1.");
        }

        if (MaxIterations < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "LbfgsOptions.MaxIterations must not be negative.");
        }

        if (!(GradientTolerance >= 0 && double.IsFinite(GradientTolerance)))
        {
            throw new ArgumentOutOfRangeException(nameof(GradientTolerance), GradientTolerance, "LbfgsOptions.GradientTolerance must be a finite number ≥ 0.");
        }

        if (!(FunctionTolerance >= 0 && double.IsFinite(FunctionTolerance)))
        {
            throw new ArgumentOutOfRangeException(nameof(FunctionTolerance), FunctionTolerance, "LbfgsOptions.FunctionTolerance must be a finite number ≥ 0.");
        }

        if (MaxLineSearchEvaluations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxLineSearchEvaluations), MaxLineSearchEvaluations, "LbfgsOptions.MaxLineSearchEvaluations must be at least 1.");
        }
    }
}
