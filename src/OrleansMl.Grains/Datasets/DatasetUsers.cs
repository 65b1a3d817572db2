using OrleansMl.Catalog;
using OrleansMl.Experiments;
using OrleansMl.Models;

namespace OrleansMl.Datasets;

/// <summary>
/// What still needs versions of a dataset, found when a deletion asks (deletions are rare; nothing is
/// tracked on the hot paths): running experiments whose pinned train or eval set is one of them, and
/// k-NN model versions, which answer from their training rows. Other model flavours carry what they
/// learned and need no data.
/// </summary>
internal static class DatasetUsers
{
    public static async Task<IReadOnlyList<string>> FindAsync(IGrainFactory grains, string dataset, IReadOnlyCollection<int> versions)
    {
        bool Reads(DatasetRef? reference) => reference is not null && reference.Name == dataset && (reference.Version is not { } v || versions.Contains(v));

        var experiments = await grains.GetGrain<ICatalogGrain>(ICatalogGrain.Experiments).ListAsync();
        var models = await grains.GetGrain<ICatalogGrain>(ICatalogGrain.Models).ListAsync();
        var experimentInfos = await Task.WhenAll(experiments.Select(e => grains.GetGrain<IExperimentGrain>(e).GetAsync()));
        var modelInfos = await Task.WhenAll(models.Select(m => grains.GetGrain<IModelGrain>(m).GetAsync()));

        var users = new List<string>();
        users.AddRange(experimentInfos
            .Where(e => e is { State: ExperimentGrain.Created or ExperimentGrain.Preparing or ExperimentGrain.Running } && (Reads(e.Spec.Train) || Reads(e.Spec.Eval)))
            .Select(e => $"experiment '{e!.Name}' ({e.State})"));
        users.AddRange(modelInfos.OfType<ModelInfo>()
            .SelectMany(m => m.Versions
                .Where(v => v.Flavor == "knn" && v.Lineage.Dataset == dataset && v.Lineage.DatasetVersion is { } read && versions.Contains(read))
                .Select(v => $"model '{m.Name}' version {v.Version} (a k-NN model answers from these rows)")));
        return users;
    }
}
