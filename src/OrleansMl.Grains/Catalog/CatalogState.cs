namespace OrleansMl.Catalog;

[GenerateSerializer, Alias("orleansml.CatalogState")]
public sealed class CatalogState
{
    [Id(0)] public HashSet<string> Names { get; set; } = new(StringComparer.Ordinal);
}
