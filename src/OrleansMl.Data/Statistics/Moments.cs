using System.Numerics.Tensors;

namespace OrleansMl.Data.Statistics;

/// <summary>
/// Count, mean, sum of squared deviations (M2), min and max of a set of values. Parts combine with
/// the parallel update of Chan, Golub and LeVeque, so merging the moments of parts gives the
/// moments of the whole up to rounding.
/// </summary>
internal readonly record struct Moments(long Count, double Mean, double M2, double Min, double Max)
{
    private const int Chunk = 1024;

    public static Moments Empty { get; } = new(0, 0, 0, double.PositiveInfinity, double.NegativeInfinity);

    /// <summary>Sample standard deviation (divisor n - 1); NaN below two values.</summary>
    public double SampleStd => Count < 2 ? double.NaN : Math.Sqrt(M2 / (Count - 1));

    /// <summary>The moments of values that hold no NaN, by a corrected two-pass sum.</summary>
    public static Moments Of(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            return Empty;
        }

        var mean = TensorPrimitives.Sum(values) / values.Length;
        Span<double> deviations = stackalloc double[Chunk];
        double sum = 0, sumOfSquares = 0;
        for (var start = 0; start < values.Length; start += Chunk)
        {
            var chunk = values.Slice(start, Math.Min(Chunk, values.Length - start));
            var d = deviations[..chunk.Length];
            TensorPrimitives.Subtract(chunk, mean, d);
            sum += TensorPrimitives.Sum(d);
            sumOfSquares += TensorPrimitives.SumOfSquares(d);
        }

        var m2 = Math.Max(0, sumOfSquares - (sum * sum / values.Length));
        return new Moments(values.Length, mean + (sum / values.Length), m2, TensorPrimitives.Min(values), TensorPrimitives.Max(values));
    }

    /// <summary>Chan et al.'s merge of two disjoint parts.</summary>
    public static Moments Merge(in Moments a, in Moments b)
    {
        if (b.Count == 0)
        {
            return a;
        }

        if (a.Count == 0)
        {
            return b;
        }

        double n = a.Count + b.Count;
        var delta = b.Mean - a.Mean;
        var mean = a.Mean + (delta * (b.Count / n));
        var m2 = a.M2 + b.M2 + (delta * delta * (a.Count / n) * b.Count);
        return new Moments(a.Count + b.Count, mean, m2, Math.Min(a.Min, b.Min), Math.Max(a.Max, b.Max));
    }

    public void Write(SketchWriter writer)
    {
        writer.WriteCount(Count);
        writer.WriteDouble(Mean);
        writer.WriteDouble(M2);
        writer.WriteDouble(Min);
        writer.WriteDouble(Max);
    }

    public static Moments Read(ref SketchReader reader) =>
        new(reader.ReadCount(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble());
}
