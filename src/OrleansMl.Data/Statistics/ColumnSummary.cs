using System.Text.Json.Serialization;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Statistics;

/// <summary>
/// Statistics of one column. Which members are set depends on the type:
/// <list type="bullet">
/// <item>Numbers (Int64, Float64, Timestamp as microseconds since the epoch, Boolean as 0/1):
/// Min, Max, Mean, Std, Quantiles and Histogram over the non-null, non-NaN values.</item>
/// <item>Text (String, Categorical): MinLength, MaxLength and TopValues.</item>
/// <item>Vector: the number statistics over every element of the non-null rows, where
/// <see cref="Count"/> counts elements and <see cref="NullCount"/> counts null rows, plus
/// <see cref="Slots"/> per position.</item>
/// </list>
/// Numbers are reported as doubles (Int64 and timestamps exactly up to 2^53).
/// Min, Max and Mean are null when <see cref="Count"/> is 0; <see cref="Std"/> is the sample
/// standard deviation (divisor n - 1) and null below two values.
/// </summary>
public sealed record ColumnSummary
{
    public required string Name { get; init; }

    public required ColumnType Type { get; init; }

    /// <summary>Non-null values (elements for vectors), NaN excluded.</summary>
    public long Count { get; init; }

    /// <summary>Null rows.</summary>
    public long NullCount { get; init; }

    /// <summary>NaN values of Float64 and vector columns; they are left out of every other statistic.</summary>
    public long NanCount { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }

    public double? Mean { get; init; }

    public double? Std { get; init; }

    /// <summary><see cref="Min"/> of a timestamp column as a UTC time (ISO 8601 in JSON); null for other types.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? MinTime => AsTime(Min);

    /// <summary><see cref="Max"/> of a timestamp column as a UTC time; null for other types.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? MaxTime => AsTime(Max);

    /// <summary><see cref="Mean"/> of a timestamp column as a UTC time; null for other types.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? MeanTime => AsTime(Mean);

    /// <summary>Distinct non-null values: a HyperLogLog estimate (about 1% error), exact for text while <see cref="TopValuesComplete"/>.</summary>
    public long DistinctEstimate { get; init; }

    /// <summary>Estimated quantiles (rank error about 1%); probabilities 0 and 1 give the exact min and max.</summary>
    public IReadOnlyList<QuantileValue> Quantiles { get; init; } = [];

    public Histogram? Histogram { get; init; }

    /// <summary>The most frequent text values, most frequent first (ties in ordinal order); empty unless <see cref="TopValuesComplete"/>.</summary>
    public IReadOnlyList<ValueCount> TopValues { get; init; } = [];

    /// <summary>
    /// True when <see cref="TopValues"/> are exact: a text column with at most
    /// 1000 distinct values. Past that the sketch stops counting values and reports none.
    /// </summary>
    public bool TopValuesComplete { get; init; }

    /// <summary>Shortest text in UTF-16 code units; null for other types or no values.</summary>
    public int? MinLength { get; init; }

    /// <summary>Longest text in UTF-16 code units; null for other types or no values.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Per-position statistics of a vector column; null for other types.</summary>
    public VectorSlotSummary? Slots { get; init; }

    /// <summary>Microseconds since the epoch as a time, for a timestamp column (null past the years 1–9999 a time can hold).</summary>
    private DateTimeOffset? AsTime(double? microseconds) =>
        Type == ColumnType.Timestamp && microseconds is { } value
        && value >= (DateTimeOffset.MinValue - DateTimeOffset.UnixEpoch).Ticks / 10.0 && value <= (DateTimeOffset.MaxValue - DateTimeOffset.UnixEpoch).Ticks / 10.0
            ? DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(value * 10))
            : null;
}
