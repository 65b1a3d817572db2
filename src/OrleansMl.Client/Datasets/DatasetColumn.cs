namespace OrleansMl.Client;

/// <summary>A column of a dataset version or a model signature.</summary>
/// <param name="Type">int64, float64, boolean, string, timestamp, categorical or vector.</param>
/// <param name="VectorLength">The length of a vector column; 0 otherwise.</param>
public sealed record DatasetColumn(string Name, string Type, int VectorLength = 0);
