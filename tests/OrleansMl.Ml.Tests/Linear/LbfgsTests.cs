using OrleansMl.Ml.Linear;

namespace OrleansMl.Ml.Tests.Linear;

public sealed class LbfgsTests
{
    [Fact]
    public async Task AQuadraticWithCurvaturesSpreadHundredfoldIsMinimised()
    {
        const int N = 20;
        var centre = Enumerable.Range(0, N).Select(i => Math.Sin(i) * 3).ToArray();
        var curvature = Enumerable.Range(0, N).Select(i => Math.Pow(100, i / (N - 1.0))).ToArray();
        ValueTask<double> Quadratic(double[] x, double[] g, CancellationToken ct)
        {
            var value = 0.0;
            for (var i = 0; i < N; i++)
            {
                var delta = x[i] - centre[i];
                value += 0.5 * curvature[i] * delta * delta;
                g[i] = curvature[i] * delta;
            }

            return ValueTask.FromResult(value);
        }

        var result = await Lbfgs.MinimizeAsync(Quadratic, new double[N], new LbfgsOptions { GradientTolerance = 1e-10, FunctionTolerance = 0, MaxIterations = 300 });

        Assert.True(result.Converged, $"Stopped by {result.StopReason} after {result.Iterations} iterations.");
        Assert.Equal(LbfgsStopReason.GradientTolerance, result.StopReason);
        for (var i = 0; i < N; i++)
        {
            Assert.Equal(centre[i], result.X[i], 1e-6);
        }
    }

    [Fact]
    public async Task TheRosenbrockValleyIsFollowedToItsMinimum()
    {
        static ValueTask<double> Rosenbrock(double[] x, double[] g, CancellationToken ct)
        {
            var (a, b) = (x[0], x[1]);
            g[0] = (-2 * (1 - a)) - (400 * a * (b - (a * a)));
            g[1] = 200 * (b - (a * a));
            return ValueTask.FromResult(((1 - a) * (1 - a)) + (100 * (b - (a * a)) * (b - (a * a))));
        }

        var result = await Lbfgs.MinimizeAsync(Rosenbrock, [-1.2, 1], new LbfgsOptions { GradientTolerance = 1e-9, FunctionTolerance = 0, MaxIterations = 200 });

        Assert.True(result.Converged, $"Stopped by {result.StopReason} after {result.Iterations} iterations.");
        Assert.Equal(1, result.X[0], 1e-6);
        Assert.Equal(1, result.X[1], 1e-6);
        Assert.Equal(result.Iterations + 1, result.History.Count);
        for (var i = 1; i < result.History.Count; i++)
        {
            Assert.True(result.History[i] < result.History[i - 1], $"Iteration {i} did not lower the value.");
        }
    }

    [Fact]
    public async Task AResumedRunReachesBitForBitTheWeightsOfAnUninterruptedRun()
    {
        var random = new Random(42);
        var (features, labels) = LinearTestData.Blobs(random, 4, 20, 150, 1, 1.5);
        var objective = LinearObjective.MulticlassLogistic(4);
        var evaluate = LinearTestData.Partitioned(objective, features, 20, labels, 1e-3, 200, 410);
        var options = new LbfgsOptions { MaxIterations = 30, GradientTolerance = 0, FunctionTolerance = 0 };
        var x0 = new double[objective.WeightCount(20)];

        var uninterrupted = await Lbfgs.MinimizeAsync(evaluate, x0, options);
        byte[]? checkpoint = null;
        ValueTask CrashAfterTwelve(LbfgsState state)
        {
            checkpoint = state.ToBytes();
            return state.Iteration == 12 ? throw new InvalidOperationException("The coordinator's silo died.") : ValueTask.CompletedTask;
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => Lbfgs.MinimizeAsync(evaluate, x0, options, CrashAfterTwelve));
        var resumed = await Lbfgs.MinimizeAsync(evaluate, x0, options, resumeFrom: LbfgsState.FromBytes(checkpoint));

        Assert.Equal(30, uninterrupted.Iterations);
        Assert.Equal(LbfgsStopReason.MaxIterations, uninterrupted.StopReason);
        Assert.Equal(uninterrupted.X.Select(BitConverter.DoubleToInt64Bits), resumed.X.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(uninterrupted.History, resumed.History);
        Assert.Equal(uninterrupted.Iterations, resumed.Iterations);
        Assert.Equal(uninterrupted.Evaluations, resumed.Evaluations);
    }

    [Fact]
    public async Task AStateSurvivesItsBytesExactly()
    {
        LbfgsState? last = null;
        await Lbfgs.MinimizeAsync(
            (x, g, _) =>
            {
                g[0] = 2 * (x[0] - Math.PI);
                g[1] = 8 * (x[1] + Math.E);
                return ValueTask.FromResult(((x[0] - Math.PI) * (x[0] - Math.PI)) + (4 * (x[1] + Math.E) * (x[1] + Math.E)));
            },
            [0.1, 0.2],
            new LbfgsOptions { MaxIterations = 2 },
            state =>
            {
                last = state;
                return ValueTask.CompletedTask;
            });

        var copy = LbfgsState.FromBytes(last!.ToBytes());

        Assert.Equal(last.ToBytes(), copy.ToBytes());
        Assert.Equal(2, copy.Iteration);
        Assert.Equal(last.X, copy.X);
        Assert.Equal(last.Steps.Count, copy.Steps.Count);
        Assert.Throws<InvalidDataException>(() => LbfgsState.FromBytes(last.ToBytes().AsSpan(0, 50)));
    }

    [Fact]
    public async Task AnInvalidSettingIsRejectedByName()
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            Lbfgs.MinimizeAsync((_, _, _) => ValueTask.FromResult(0.0), [1.0], new LbfgsOptions { Memory = 0 }));

        Assert.Contains("LbfgsOptions.Memory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancellationStopsBetweenEvaluations()
    {
        using var cancel = new CancellationTokenSource();
        var calls = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Lbfgs.MinimizeAsync(
            (x, g, _) =>
            {
                if (++calls == 2)
                {
                    cancel.Cancel();
                }

                g[0] = 2 * x[0];
                return ValueTask.FromResult(x[0] * x[0]);
            },
            [5.0],
            new LbfgsOptions { GradientTolerance = 0, FunctionTolerance = 0 },
            ct: cancel.Token));

        Assert.Equal(2, calls);
    }
}
