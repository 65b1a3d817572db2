namespace OrleansMl.Bench.Measurement;

/// <summary>One scenario's median against its reference, measured in the same run and the same unit.</summary>
/// <param name="ReferenceName">What the reference does, e.g. "direct interface call".</param>
/// <param name="HigherIsBetter">True for rates (calls/s, MiB/s), false for times.</param>
/// <param name="Samples">The value of every measured repetition.</param>
/// <param name="ReferenceSamples">The reference's value in every measured repetition.</param>
internal sealed record BenchResult(
    string Scenario,
    string ReferenceName,
    string Unit,
    bool HigherIsBetter,
    double Value,
    double Reference,
    IReadOnlyList<double> Samples,
    IReadOnlyList<double> ReferenceSamples,
    string? Note = null)
{
    /// <summary>Value divided by reference.</summary>
    public double Ratio => Value / Reference;

    /// <summary>How many times better or worse than the reference, in words: "3.2x worse".</summary>
    public string Verdict
    {
        get
        {
            var better = HigherIsBetter ? Ratio >= 1 : Ratio <= 1;
            var factor = Ratio >= 1 ? Ratio : 1 / Ratio;
            return $"{NumberFormat.Compact(factor)}x {(better ? "better" : "worse")}";
        }
    }

    public static BenchResult FromSamples(string scenario, string referenceName, string unit, bool higherIsBetter, double[] samples, double[] referenceSamples, string? note = null) =>
        new(scenario, referenceName, unit, higherIsBetter, Stats.Median(samples), Stats.Median(referenceSamples), samples, referenceSamples, note);
}
