using OrleansMl.Catalog;
using OrleansMl.Datasets;
using OrleansMl.Experiments;
using OrleansMl.Models;
using OrleansMl.Serving;
using OrleansMl.Workspaces;

namespace OrleansMl.Backups;

/// <summary>One listed resource: its kind (a catalog key) and name.</summary>
public sealed record BackupResource(string Kind, string Name)
{
    public static readonly IReadOnlyList<string> Kinds = [ICatalogGrain.Datasets, ICatalogGrain.Experiments, ICatalogGrain.Models, ICatalogGrain.Endpoints, ICatalogGrain.Workspaces];

    /// <summary>Where the platform keeps the resource's files, or null when it has none.</summary>
    public string? Prefix => Kind switch
    {
        ICatalogGrain.Datasets => $"datasets/{Name}/",
        ICatalogGrain.Experiments => $"runs/{Name}/",
        ICatalogGrain.Models => $"models/{Name}/",
        ICatalogGrain.Endpoints => $"endpoints/{Name}/",
        _ => null,
    };

    /// <summary>The grain holding the resource's state.</summary>
    public IRestorableGrain Grain(IGrainFactory grains) => Kind switch
    {
        ICatalogGrain.Datasets => grains.GetGrain<IDatasetGrain>(Name),
        ICatalogGrain.Experiments => grains.GetGrain<IExperimentGrain>(Name),
        ICatalogGrain.Models => grains.GetGrain<IModelGrain>(Name),
        ICatalogGrain.Endpoints => grains.GetGrain<IEndpointGrain>(Name),
        ICatalogGrain.Workspaces => grains.GetGrain<IWorkspaceGrain>(Name),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Not a kind of resource."),
    };

    /// <summary>Every listed resource of every kind.</summary>
    public static async Task<List<BackupResource>> ListAsync(IGrainFactory grains)
    {
        var resources = new List<BackupResource>();
        foreach (var kind in Kinds)
        {
            resources.AddRange((await grains.GetGrain<ICatalogGrain>(kind).ListAsync()).Select(name => new BackupResource(kind, name)));
        }

        return resources;
    }

    public override string ToString() => $"{Kind[..^1]} '{Name}'";
}
