namespace OrleansMl.Data.Statistics;

/// <summary>A text value and how many rows hold it.</summary>
public sealed record ValueCount(string Value, long Count);
