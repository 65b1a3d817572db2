using OrleansMl.Catalog;
using OrleansMl.Models;

namespace OrleansMl.Experiments;

/// <summary>
/// Deletion: <see cref="ExperimentState.Deleting"/> is written first, then every run is forgotten and the
/// experiment's artifacts (<c>runs/{experiment}/</c>: models, checkpoints, metric histories) deleted, then
/// the catalog entry and the state. A crash part-way leaves the flag, and the next activation finishes;
/// the name can then be used again.
/// </summary>
public sealed partial class ExperimentGrain
{
    public async Task DeleteAsync()
    {
        if (state.State.Info is not { } info)
        {
            throw new KeyNotFoundException($"There is no experiment '{Name}'.");
        }

        if (info.State is Created or Preparing or Running)
        {
            throw new ResourceConflictException($"Experiment '{Name}' is {info.State}; cancel it (POST /v1/experiments/{Name}/cancel) and delete it when it has stopped.");
        }

        if (await ServedFromRunsAsync() is { Count: > 0 } users)
        {
            throw new ResourceConflictException(
                $"Experiment '{Name}' holds the model files of {string.Join(", ", users)} (registered before versions were copied into the registry); delete those versions first.");
        }

        state.State.Deleting = true;
        await WriteAsync();
        await ForgetAsync(CancellationToken.None);
    }

    private async Task ForgetAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(Enumerable.Range(0, state.State.Runs.Count).Select(i => Run(i).ForgetAsync()));
        var files = new List<string>();
        await foreach (var file in store.ListAsync($"runs/{Name}/", cancellationToken))
        {
            files.Add(file.Path);
        }

        foreach (var file in files)
        {
            await store.DeleteAsync(file, cancellationToken);
        }

        await GrainFactory.GetGrain<ICatalogGrain>(ICatalogGrain.Experiments).RemoveAsync(Name);
        await state.ClearStateAsync(cancellationToken);
        DeactivateOnIdle();
    }

    /// <summary>Model versions whose artifact is still a file of this experiment's runs.</summary>
    private async Task<List<string>> ServedFromRunsAsync()
    {
        var prefix = $"runs/{Name}/";
        var models = await GrainFactory.GetGrain<ICatalogGrain>(ICatalogGrain.Models).ListAsync();
        var infos = await Task.WhenAll(models.Select(m => GrainFactory.GetGrain<IModelGrain>(m).GetAsync()));
        return [.. infos.OfType<ModelInfo>().SelectMany(m => m.Versions
            .Where(v => v.ArtifactPath.StartsWith(prefix, StringComparison.Ordinal))
            .Select(v => $"model '{m.Name}' version {v.Version}"))];
    }
}
