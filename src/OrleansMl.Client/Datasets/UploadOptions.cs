namespace OrleansMl.Client;

/// <summary>How an uploaded file is imported; null leaves a setting to the server (the format then comes from the file name).</summary>
/// <param name="Format">csv, tsv, jsonl or parquet.</param>
/// <param name="Delimiter">One character or <c>tab</c>.</param>
/// <param name="BadRecords"><c>fail</c> or <c>skip</c>.</param>
public sealed record UploadOptions(string? Format = null, string? Delimiter = null, bool? HasHeader = null, string? BadRecords = null, int? Partitions = null);
