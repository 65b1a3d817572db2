using OrleansMl.Storage.Artifacts;
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

        if (await ServedFromAsync($"runs/{Name}/") is { Count: > 0 } users)
        {
            throw new ResourceConflictException(
                $"Experiment '{Name}' holds the model files of {string.Join(", ", users)} (registered before versions were copied into the registry); delete those versions first.");
        }

        state.State.Deleting = true;
        await WriteAsync();
        await ForgetAsync(CancellationToken.None);
    }

    public async Task DeleteRunAsync(int index)
    {
        if (state.State.Info is null || index < 0 || index >= _runs.Count || _runs[index].Status == RunSummary.Deleted)
        {
            throw new KeyNotFoundException($"Experiment '{Name}' has no run {index}.");
        }

        var run = _runs[index];
        if (!run.IsFinished)
        {
            throw new ResourceConflictException($"Run {index} of '{Name}' is {run.Status}; cancel it (POST /v1/runs/{Name}/{index}/cancel) and delete it when it has stopped.");
        }

        var folder = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"runs/{Name}/{index:D5}/");
        if (await ServedFromAsync(folder) is { Count: > 0 } users)
        {
            throw new ResourceConflictException($"Run {index} of '{Name}' holds the model files of {string.Join(", ", users)} (registered before versions were copied into the registry); delete those versions first.");
        }

        // The state first: the run leaves listings at once. A crash before its files are gone leaves them
        // under the experiment's folder, which deleting the experiment collects.
        _runs[index] = run with { Status = RunSummary.Deleted };
        Changed(index);
        Set(Info with { RunCounts = Counts(), Best = Best() });
        await WriteAsync();
        await Run(index).ForgetAsync();
        await store.DeleteAllAsync(folder);
    }

    private async Task ForgetAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(Enumerable.Range(0, _runs.Count).Select(i => Run(i).ForgetAsync()));
        await store.DeleteAllAsync($"runs/{Name}/", cancellationToken);
        await GrainFactory.GetGrain<ICatalogGrain>(ICatalogGrain.Experiments).RemoveAsync(Name);
        await ClearRunsAsync();
        await LetSleepAsync();
        await state.ClearStateAsync(cancellationToken);
        DeactivateOnIdle();
    }

    /// <summary>Model versions whose artifact is still a file under <paramref name="prefix"/> (this experiment's, or one run's, folder).</summary>
    private async Task<List<string>> ServedFromAsync(string prefix)
    {
        var models = await GrainFactory.GetGrain<ICatalogGrain>(ICatalogGrain.Models).ListAsync();
        var infos = await Task.WhenAll(models.Select(m => GrainFactory.GetGrain<IModelGrain>(m).GetAsync()));
        return [.. infos.OfType<ModelInfo>().SelectMany(m => m.Versions
            .Where(v => v.ArtifactPath.StartsWith(prefix, StringComparison.Ordinal))
            .Select(v => $"model '{m.Name}' version {v.Version}"))];
    }
}
