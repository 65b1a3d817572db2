using System.Numerics.Tensors;

namespace OrleansMl.Ml.Linear;

/// <summary>
/// Limited-memory BFGS in double precision (Nocedal and Wright, algorithm 7.5): the two-loop
/// recursion over the last <see cref="LbfgsOptions.Memory"/> (step, gradient change) pairs, scaled by
/// sᵀy/yᵀy, and a strong Wolfe line search.
/// </summary>
/// <remarks>
/// Each iteration depends only on the <see cref="LbfgsState"/> before it and the objective's answers,
/// so a run resumed from a checkpointed state (<see cref="LbfgsState.ToBytes"/>) with a deterministic
/// objective takes exactly the iterates of the uninterrupted run.
/// </remarks>
public static class Lbfgs
{
    /// <summary>
    /// Minimises <paramref name="objective"/> from <paramref name="x0"/>, or from <paramref name="resumeFrom"/>
    /// when given (then <paramref name="x0"/> only fixes the length).
    /// </summary>
    /// <param name="objective">
    /// Given a point and a zero-filled gradient array of the same length, fills the gradient and returns
    /// the value. Each call gets arrays of its own, which the optimiser does not change afterwards.
    /// </param>
    /// <param name="onIteration">Called after each iteration with the new state, before the next begins: the place to checkpoint.</param>
    public static async Task<LbfgsResult> MinimizeAsync(
        Func<double[], double[], CancellationToken, ValueTask<double>> objective,
        double[] x0,
        LbfgsOptions options,
        Func<LbfgsState, ValueTask>? onIteration = null,
        LbfgsState? resumeFrom = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(x0);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (x0.Length == 0)
        {
            throw new ArgumentException("There is nothing to minimise over: the start point is empty.", nameof(x0));
        }

        if (resumeFrom is not null && resumeFrom.X.Length != x0.Length)
        {
            throw new ArgumentException($"The state to resume from has {resumeFrom.X.Length} variables, not {x0.Length}.", nameof(resumeFrom));
        }

        var state = resumeFrom ?? await StartAsync(objective, x0, ct);
        var steps = state.Steps.Skip(Math.Max(0, state.Steps.Count - options.Memory)).ToList();
        var changes = state.GradientChanges.Skip(Math.Max(0, state.GradientChanges.Count - options.Memory)).ToList();
        while (true)
        {
            if (Stopped(state, options) is { } reason)
            {
                return new LbfgsResult(state.X, state.Value, state.Gradient, state.Iteration, state.Evaluations, reason != LbfgsStopReason.MaxIterations, reason, state.History);
            }

            var evaluations = state.Evaluations;
            LbfgsLineSearch.Point? accepted = null;
            while (accepted is null)
            {
                var direction = Direction(state.Gradient, steps, changes);
                var search = new LbfgsLineSearch(objective, state.X, state.Value, state.Gradient, direction, options.MaxLineSearchEvaluations, ct);
                if (search.StartSlope < 0)
                {
                    // Without curvature history the first trial step has length 1; with it, the quasi-Newton step.
                    var step = steps.Count == 0 ? 1 / Math.Sqrt(TensorPrimitives.SumOfSquares<double>(direction)) : 1;
                    accepted = await search.SearchAsync(step);
                    evaluations += search.Evaluations;
                }

                if (accepted is null)
                {
                    if (steps.Count == 0)
                    {
                        return new LbfgsResult(state.X, state.Value, state.Gradient, state.Iteration, evaluations, false, LbfgsStopReason.LineSearchFailed, state.History);
                    }

                    // The history misled: start again from steepest descent.
                    steps.Clear();
                    changes.Clear();
                }
            }

            var s = new double[state.X.Length];
            var y = new double[state.X.Length];
            TensorPrimitives.Subtract(accepted.X, state.X, s);
            TensorPrimitives.Subtract(accepted.Gradient, state.Gradient, y);
            if (TensorPrimitives.Dot<double>(s, y) > 1e-10 * TensorPrimitives.Dot<double>(y, y))
            {
                if (steps.Count == options.Memory)
                {
                    steps.RemoveAt(0);
                    changes.RemoveAt(0);
                }

                steps.Add(s);
                changes.Add(y);
            }

            state = new LbfgsState(
                state.Iteration + 1,
                evaluations,
                accepted.X,
                accepted.Value,
                accepted.Gradient,
                state.InitialGradientNorm,
                [.. steps],
                [.. changes],
                [.. state.History, accepted.Value]);
            if (onIteration is not null)
            {
                await onIteration(state);
            }
        }
    }

    private static async Task<LbfgsState> StartAsync(Func<double[], double[], CancellationToken, ValueTask<double>> objective, double[] x0, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var x = x0.ToArray();
        var gradient = new double[x.Length];
        var value = await objective(x, gradient, ct);
        var norm = Math.Sqrt(TensorPrimitives.SumOfSquares<double>(gradient));
        if (!double.IsFinite(value) || !double.IsFinite(norm))
        {
            throw new ArgumentException($"At the start point the objective is {value} and the gradient's norm {norm}; both must be finite.", nameof(x0));
        }

        return new LbfgsState(0, 1, x, value, gradient, norm, [], [], [value]);
    }

    /// <summary>Why to stop now, judging the state alone (so a resumed run stops where the original would have); or null.</summary>
    private static LbfgsStopReason? Stopped(LbfgsState state, LbfgsOptions options)
    {
        if (Math.Sqrt(TensorPrimitives.SumOfSquares<double>(state.Gradient)) <= options.GradientTolerance * state.InitialGradientNorm)
        {
            return LbfgsStopReason.GradientTolerance;
        }

        if (state.History.Count >= 2)
        {
            var before = state.History[^2];
            var after = state.History[^1];
            if (before - after <= options.FunctionTolerance * Math.Max(Math.Abs(before), Math.Abs(after)))
            {
                return LbfgsStopReason.FunctionTolerance;
            }
        }

        return state.Iteration >= options.MaxIterations ? LbfgsStopReason.MaxIterations : null;
    }

    /// <summary>The two-loop recursion: −H·g for the inverse Hessian estimate H of the pairs.</summary>
    private static double[] Direction(double[] gradient, List<double[]> steps, List<double[]> changes)
    {
        var q = gradient.ToArray();
        var count = steps.Count;
        Span<double> rho = count <= 64 ? stackalloc double[count] : new double[count];
        Span<double> alpha = count <= 64 ? stackalloc double[count] : new double[count];
        for (var i = count - 1; i >= 0; i--)
        {
            rho[i] = 1 / TensorPrimitives.Dot<double>(changes[i], steps[i]);
            alpha[i] = rho[i] * TensorPrimitives.Dot<double>(steps[i], q);
            TensorPrimitives.MultiplyAdd(changes[i], -alpha[i], q, q);
        }

        if (count > 0)
        {
            var last = changes[count - 1];
            TensorPrimitives.Multiply(q, TensorPrimitives.Dot<double>(steps[count - 1], last) / TensorPrimitives.Dot<double>(last, last), q);
        }

        for (var i = 0; i < count; i++)
        {
            var beta = rho[i] * TensorPrimitives.Dot<double>(changes[i], q);
            TensorPrimitives.MultiplyAdd(steps[i], alpha[i] - beta, q, q);
        }

        TensorPrimitives.Negate(q, q);
        return q;
    }
}
