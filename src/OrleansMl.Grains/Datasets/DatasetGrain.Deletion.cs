using OrleansMl.Storage.Artifacts;
using OrleansMl.Catalog;

namespace OrleansMl.Datasets;

/// <summary>
/// Deletion. A version leaves <see cref="DatasetState.Versions"/> and enters <see cref="DatasetState.Deleting"/>
/// in one state write, then its files go (manifest first), then it leaves <see cref="DatasetState.Deleting"/>.
/// A crash at any point leaves either the version whole and listed, or unlisted with its files still
/// marked for deletion, which the next activation finishes. The version number is never reused, so a
/// partition grain that still caches a deleted version's rows is never asked for them again.
/// </summary>
public sealed partial class DatasetGrain
{
    public async Task DeleteVersionAsync(int version)
    {
        _ = Version(version); // 404 when there is no such version
        await RefuseWhileUsedAsync([version]);
        if (state.State.Versions.Find(v => v.Version == version) is not { } deleted)
        {
            throw new KeyNotFoundException($"Dataset '{Name}' has no version {version}."); // deleted by a call that interleaved
        }

        state.State.Versions.Remove(deleted);
        state.State.Deleting.Add(version);
        await WriteOrReloadAsync();
        await CollectAsync();
        if (state.State.Versions.Count == 0)
        {
            await GrainFactory.GetGrain<ICatalogGrain>(ICatalogGrain.Datasets).RemoveAsync(Name);
        }
    }

    public async Task DeleteAsync()
    {
        if (state.State.Versions.Count == 0 && state.State.Operations.Count == 0)
        {
            throw new KeyNotFoundException($"There is no dataset '{Name}'.");
        }

        await RefuseWhileUsedAsync([.. state.State.Versions.Select(v => v.Version)]);
        state.State.Deleting.AddRange(state.State.Versions.Select(v => v.Version));
        state.State.Versions.Clear();
        state.State.Operations.Clear();
        state.State.DeletingAll = true;
        await WriteOrReloadAsync();
        await CollectAsync();
    }

    public async Task<IReadOnlyList<int>> CollectOrphansAsync(IReadOnlyList<int> versions)
    {
        var known = new HashSet<int>(state.State.Versions.Select(v => v.Version));
        known.UnionWith(state.State.Deleting);
        known.UnionWith(state.State.Operations.Where(o => !o.IsFinished).Select(o => o.Version));
        known.UnionWith(state.State.Splits.Where(s => s.Train == Name).Select(s => s.TrainVersion));
        known.UnionWith(state.State.Splits.Where(s => s.Test == Name).Select(s => s.TestVersion));
        var deleted = new List<int>();
        foreach (var version in versions.Where(v => !known.Contains(v)).Distinct())
        {
            await DatasetManifest.DeleteVersionFilesAsync(store, Name, version, CancellationToken.None);
            deleted.Add(version);
        }

        return deleted;
    }

    /// <summary>
    /// Removes the files of every version in <see cref="DatasetState.Deleting"/>, then (a whole deletion) the
    /// quarantine and the catalog entry. Files of a version another dataset's split is writing here right
    /// now are not touched: that version appears when the split ends.
    /// </summary>
    private async Task CollectAsync(CancellationToken cancellationToken = default)
    {
        foreach (var version in state.State.Deleting.ToList())
        {
            await DatasetManifest.DeleteVersionFilesAsync(store, Name, version, cancellationToken);
            _summaries.Remove(version);
            state.State.Deleting.Remove(version);
        }

        if (state.State.DeletingAll)
        {
            await store.DeleteAllAsync(DatasetPaths.QuarantineFolder(Name), cancellationToken);

            await GrainFactory.GetGrain<ICatalogGrain>(ICatalogGrain.Datasets).RemoveAsync(Name);
            state.State.DeletingAll = false;
        }

        await WriteOrReloadAsync();
    }

    /// <summary>Writes the state; if that fails, the activation goes, so the next one starts from what storage holds rather than from this one's unrecorded changes.</summary>
    private async Task WriteOrReloadAsync()
    {
        try
        {
            await WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>
    /// Throws <see cref="ResourceConflictException"/> naming everything that still needs one of
    /// <paramref name="versions"/>: an operation of this dataset, a running experiment that reads it, a
    /// k-NN model version that answers from its rows. Other datasets' running operations that read it are
    /// not tracked: they fail, saying the version is gone.
    /// </summary>
    private async Task RefuseWhileUsedAsync(IReadOnlyCollection<int> versions)
    {
        var users = new List<string>();
        if (state.State.Operations.Any(o => !o.IsFinished))
        {
            users.Add($"its running {string.Join(", ", state.State.Operations.Where(o => !o.IsFinished).Select(o => $"{o.Kind} {o.Id}"))}");
        }

        users.AddRange(await DatasetUsers.FindAsync(GrainFactory, Name, versions));
        if (users.Count > 0)
        {
            var subject = versions.Count == 1 ? $"Version {versions.First()} of dataset '{Name}'" : $"Dataset '{Name}'";
            throw new ResourceConflictException($"{subject} is in use by {string.Join("; ", users)}. Wait for them to finish, or delete them first.");
        }

        if (state.State.Operations.Any(o => !o.IsFinished))
        {
            throw new ResourceConflictException($"Dataset '{Name}' started an operation while the deletion was checked; try again when it has finished.");
        }
    }
}
