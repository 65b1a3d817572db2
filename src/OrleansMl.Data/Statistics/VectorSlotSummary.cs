using System.Collections.Immutable;

namespace OrleansMl.Data.Statistics;

/// <summary>
/// Statistics of each position of a vector column, over its non-null rows and non-NaN values,
/// for z-score and min-max normalisation. Each array has one entry per slot. <see cref="Std"/> is
/// the sample standard deviation (divisor n - 1): NaN below two values, 0 for a constant slot.
/// Mean, Min and Max are NaN for a slot with no values.
/// </summary>
public sealed record VectorSlotSummary(
    ImmutableArray<long> Count,
    ImmutableArray<double> Mean,
    ImmutableArray<double> Std,
    ImmutableArray<double> Min,
    ImmutableArray<double> Max)
{
    public int Dimension => Mean.Length;
}
