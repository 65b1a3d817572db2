namespace OrleansMl.Datasets;

/// <summary>The names of all datasets (key "default"), so they can be listed.</summary>
[Alias("orleansml.IDatasetCatalogGrain")]
public interface IDatasetCatalogGrain : IGrainWithStringKey
{
    [Alias("AddAsync")]
    Task AddAsync(string dataset);

    [Alias("ListAsync")]
    Task<IReadOnlyList<string>> ListAsync();
}
