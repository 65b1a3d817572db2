namespace OrleansMl.Datasets;

/// <summary>A column of a dataset version: name, type (int64, float64, boolean, string, timestamp, categorical, vector) and vector length.</summary>
[GenerateSerializer, Immutable, Alias("orleansml.DatasetColumn")]
public sealed record DatasetColumn(
    [property: Id(0)] string Name,
    [property: Id(1)] string Type,
    [property: Id(2)] int VectorLength = 0);
