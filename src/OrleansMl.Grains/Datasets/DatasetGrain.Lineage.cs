namespace OrleansMl.Datasets;

/// <summary>
/// The dataset's side of the lineage graph: what read its versions. A new version tells the versions it was made from
/// (its lineage's parent and, for SQL, every version the query read); experiments and model registrations tell the
/// versions they trained on. Kept in the grain's state, newest first, the last <see cref="DatasetState.MaxUses"/>.
/// </summary>
public sealed partial class DatasetGrain
{
    public async Task RecordUseAsync(DatasetUse use)
    {
        if (AddUse(use))
        {
            await WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<DatasetUse>> GetUsesAsync(int version) =>
        Task.FromResult<IReadOnlyList<DatasetUse>>([.. state.State.Uses.Where(u => u.DatasetVersion == version)]);

    /// <summary>
    /// Records <paramref name="created"/> as a use of the versions it was made from: this dataset's own here (the caller
    /// writes the state), other datasets' by a one-way call each (<see cref="TellParentsAsync"/>, after the state is written).
    /// </summary>
    private void AddOwnUses(DatasetVersionInfo created)
    {
        foreach (var (dataset, version) in created.Lineage.Parents().Where(p => p.Dataset == Name))
        {
            AddUse(Use(created, version));
        }
    }

    private async Task TellParentsAsync(DatasetVersionInfo created)
    {
        foreach (var (dataset, version) in created.Lineage.Parents().Where(p => p.Dataset != Name))
        {
            await GrainFactory.GetGrain<IDatasetGrain>(dataset).RecordUseAsync(Use(created, version));
        }
    }

    private DatasetUse Use(DatasetVersionInfo created, int parentVersion) =>
        new(DatasetUse.DatasetKind, Name, created.Version, parentVersion, created.Lineage.Operation, timeProvider.GetUtcNow());

    /// <summary>Adds a use unless it is recorded already (a recovered operation tells again); false when nothing changed.</summary>
    private bool AddUse(DatasetUse use)
    {
        var uses = state.State.Uses;
        if (uses.Exists(u => u.Kind == use.Kind && u.Name == use.Name && u.Version == use.Version && u.DatasetVersion == use.DatasetVersion))
        {
            return false;
        }

        uses.Insert(0, use);
        if (uses.Count > DatasetState.MaxUses)
        {
            uses.RemoveRange(DatasetState.MaxUses, uses.Count - DatasetState.MaxUses);
        }

        return true;
    }
}
