namespace OrleansMl.Datasets;

[GenerateSerializer, Alias("orleansml.DatasetCatalogState")]
public sealed class DatasetCatalogState
{
    [Id(0)] public HashSet<string> Names { get; set; } = new(StringComparer.Ordinal);
}
