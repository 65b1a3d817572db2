using System.Buffers.Binary;

namespace OrleansMl.Ml.Linear;

/// <summary>
/// Everything <see cref="Lbfgs"/> needs to carry on after an iteration: written by
/// <see cref="ToBytes"/> at each iteration, a coordinator can resume after a crash with
/// <see cref="FromBytes"/> and, the objective being deterministic, reach exactly the iterates it
/// would have reached. The optimiser never changes a state it has handed out; nor should its holder.
/// </summary>
public sealed class LbfgsState
{
    /// <summary>"OLBF" little-endian.</summary>
    private const uint Magic = 0x46424C4F;
    private const int FormatVersion = 1;
    private const int HeaderBytes = 44;

    public LbfgsState(
        int iteration,
        int evaluations,
        double[] x,
        double value,
        double[] gradient,
        double initialGradientNorm,
        IReadOnlyList<double[]> steps,
        IReadOnlyList<double[]> gradientChanges,
        IReadOnlyList<double> history)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(gradientChanges);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentOutOfRangeException.ThrowIfNegative(iteration);
        ArgumentOutOfRangeException.ThrowIfNegative(evaluations);
        if (gradient.Length != x.Length)
        {
            throw new ArgumentException($"The gradient has {gradient.Length} values, the point {x.Length}.", nameof(gradient));
        }

        if (steps.Count != gradientChanges.Count)
        {
            throw new ArgumentException($"There are {steps.Count} steps but {gradientChanges.Count} gradient changes.", nameof(gradientChanges));
        }

        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i].Length != x.Length || gradientChanges[i].Length != x.Length)
            {
                throw new ArgumentException($"History pair {i} has {steps[i].Length} and {gradientChanges[i].Length} values, not {x.Length}.", nameof(steps));
            }
        }

        if (history.Count != iteration + 1)
        {
            throw new ArgumentException($"After {iteration} iterations the history has {iteration + 1} values, not {history.Count}.", nameof(history));
        }

        Iteration = iteration;
        Evaluations = evaluations;
        X = x;
        Value = value;
        Gradient = gradient;
        InitialGradientNorm = initialGradientNorm;
        Steps = steps;
        GradientChanges = gradientChanges;
        History = history;
    }

    /// <summary>The iterations done.</summary>
    public int Iteration { get; }

    /// <summary>The objective evaluations done.</summary>
    public int Evaluations { get; }

    /// <summary>The current point.</summary>
    public double[] X { get; }

    /// <summary>The objective at <see cref="X"/>.</summary>
    public double Value { get; }

    /// <summary>The gradient at <see cref="X"/>.</summary>
    public double[] Gradient { get; }

    /// <summary>|g₀|, which <see cref="LbfgsOptions.GradientTolerance"/> is relative to.</summary>
    public double InitialGradientNorm { get; }

    /// <summary>The most recent steps sₖ = xₖ₊₁ − xₖ, oldest first.</summary>
    public IReadOnlyList<double[]> Steps { get; }

    /// <summary>The gradient changes yₖ = gₖ₊₁ − gₖ matching <see cref="Steps"/>.</summary>
    public IReadOnlyList<double[]> GradientChanges { get; }

    /// <summary>The value at the start point, then after each iteration.</summary>
    public IReadOnlyList<double> History { get; }

    /// <summary>Reads a state written by <see cref="ToBytes"/>.</summary>
    public static LbfgsState FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderBytes || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic)
        {
            throw new InvalidDataException("These bytes are not an L-BFGS state.");
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"The L-BFGS state is in format version {version}; this build reads version {FormatVersion}.");
        }

        var iteration = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        var evaluations = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes[16..]);
        var pairs = BinaryPrimitives.ReadInt32LittleEndian(bytes[20..]);
        var historyCount = BinaryPrimitives.ReadInt32LittleEndian(bytes[24..]);
        var value = BinaryPrimitives.ReadDoubleLittleEndian(bytes[28..]);
        var initialGradientNorm = BinaryPrimitives.ReadDoubleLittleEndian(bytes[36..]);
        if (length < 0 || pairs < 0 || historyCount < 0 || bytes.Length != HeaderBytes + (sizeof(double) * (((2L + (2L * pairs)) * length) + historyCount)))
        {
            throw new InvalidDataException($"The L-BFGS state claims {length} variables, {pairs} history pairs and {historyCount} values, which its {bytes.Length} bytes do not hold.");
        }

        var rest = bytes[HeaderBytes..];
        var x = Read(ref rest, length);
        var gradient = Read(ref rest, length);
        var history = Read(ref rest, historyCount);
        var steps = new double[pairs][];
        var changes = new double[pairs][];
        for (var i = 0; i < pairs; i++)
        {
            steps[i] = Read(ref rest, length);
            changes[i] = Read(ref rest, length);
        }

        try
        {
            return new LbfgsState(iteration, evaluations, x, value, gradient, initialGradientNorm, steps, changes, history);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The L-BFGS state is inconsistent: {e.Message}", e);
        }
    }

    /// <summary>The state as bytes: a versioned little-endian header, then every double's exact bits.</summary>
    public byte[] ToBytes()
    {
        var length = X.Length;
        var bytes = new byte[HeaderBytes + (sizeof(double) * (((2 + (2 * Steps.Count)) * length) + History.Count))];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), Iteration);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), Evaluations);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(20), Steps.Count);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24), History.Count);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(28), Value);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(36), InitialGradientNorm);
        var rest = bytes.AsSpan(HeaderBytes);
        Write(ref rest, X);
        Write(ref rest, Gradient);
        for (var i = 0; i < History.Count; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(rest, History[i]);
            rest = rest[sizeof(double)..];
        }

        for (var i = 0; i < Steps.Count; i++)
        {
            Write(ref rest, Steps[i]);
            Write(ref rest, GradientChanges[i]);
        }

        return bytes;
    }

    private static double[] Read(ref ReadOnlySpan<byte> bytes, int count)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(i * sizeof(double))..]);
        }

        bytes = bytes[(count * sizeof(double))..];
        return values;
    }

    private static void Write(ref Span<byte> bytes, double[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes[(i * sizeof(double))..], values[i]);
        }

        bytes = bytes[(values.Length * sizeof(double))..];
    }
}
