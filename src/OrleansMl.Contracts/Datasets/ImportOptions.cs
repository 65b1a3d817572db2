namespace OrleansMl.Datasets;

/// <summary>Import settings; every one is optional and has a documented default.</summary>
/// <param name="Delimiter">CSV delimiter (one character, or "tab"); detected when absent.</param>
/// <param name="HasHeader">CSV first line holds column names (default true).</param>
/// <param name="NullValues">CSV texts read as null (default: empty, NA, N/A, null, NULL).</param>
/// <param name="ColumnTypes">Column types that replace the inferred ones, by column name.</param>
/// <param name="BadRecords">"fail" (default) stops at the first malformed record; "skip" quarantines it.</param>
/// <param name="Partitions">Number of partitions; by default from the row count and the number of silos.</param>
/// <param name="InferenceRows">Records sampled to infer types (default 10,000).</param>
/// <param name="ImageWidth">Image folders: width every image is resized to (required for image folders).</param>
/// <param name="ImageHeight">Image folders: height every image is resized to.</param>
/// <param name="ImageChannels">Image folders: 1 (grayscale, default) or 3 (RGB).</param>
[GenerateSerializer, Immutable, Alias("orleansml.ImportOptions")]
public sealed record ImportOptions(
    [property: Id(0)] string? Delimiter = null,
    [property: Id(1)] bool? HasHeader = null,
    [property: Id(2)] IReadOnlyList<string>? NullValues = null,
    [property: Id(3)] IReadOnlyDictionary<string, string>? ColumnTypes = null,
    [property: Id(4)] string? BadRecords = null,
    [property: Id(5)] int? Partitions = null,
    [property: Id(6)] int? InferenceRows = null,
    [property: Id(7)] int? ImageWidth = null,
    [property: Id(8)] int? ImageHeight = null,
    [property: Id(9)] int? ImageChannels = null);
