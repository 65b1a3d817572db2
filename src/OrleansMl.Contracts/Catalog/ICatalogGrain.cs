namespace OrleansMl.Catalog;

/// <summary>The names of every resource of one kind, so they can be listed. Keyed by the kind: <see cref="Datasets"/>, <see cref="Experiments"/>, <see cref="Models"/>, <see cref="Endpoints"/>, <see cref="Workspaces"/>.</summary>
[Alias("orleansml.ICatalogGrain")]
public interface ICatalogGrain : IGrainWithStringKey
{
    public const string Datasets = "datasets";
    public const string Experiments = "experiments";
    public const string Models = "models";
    public const string Endpoints = "endpoints";
    public const string Workspaces = "workspaces";

    [Alias("AddAsync")]
    Task AddAsync(string name);

    [Alias("RemoveAsync")]
    Task RemoveAsync(string name);

    [Alias("ListAsync")]
    Task<IReadOnlyList<string>> ListAsync();
}
