namespace OrleansMl.Client;

/// <summary>Imports a source as the next version of a dataset.</summary>
/// <param name="Format">csv, tsv, jsonl, parquet, idx or images; from the file extension when null.</param>
public sealed record ImportRequest(DatasetSource Source, string? Format = null, ImportOptions? Options = null);
