namespace OrleansMl.Datasets;

/// <summary>Imports a source as the next version of a dataset.</summary>
/// <param name="Format">csv, tsv, parquet, jsonl, idx or images; when absent, from the file extension.</param>
[GenerateSerializer, Immutable, Alias("orleansml.ImportRequest")]
public sealed record ImportRequest(
    [property: Id(0)] DatasetSource Source,
    [property: Id(1)] string? Format = null,
    [property: Id(2)] ImportOptions? Options = null);
