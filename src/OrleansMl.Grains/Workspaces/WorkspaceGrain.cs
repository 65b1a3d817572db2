using OrleansMl.Catalog;

namespace OrleansMl.Workspaces;

[GrainType("orleansml.workspace")]
public sealed class WorkspaceGrain(
    [PersistentState("workspace", GrainStorageNames.Metadata)] IPersistentState<WorkspaceState> state,
    TimeProvider timeProvider) : Grain, IWorkspaceGrain
{
    public Task<byte[]?> ExportStateAsync() => Backups.GrainStateBackup.ExportAsync(this, state);

    public Task RestoreStateAsync(byte[] snapshot) => Backups.GrainStateBackup.RestoreAsync(this, state, snapshot);

    public Task<WorkspaceInfo?> GetAsync() => Task.FromResult(state.State.Workspace);

    public async Task<WorkspaceInfo> UpsertAsync(WorkspaceUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var tags = WorkspaceValidation.ValidTags(update.Tags);
        var description = WorkspaceValidation.ValidDescription(update.Description);
        var now = timeProvider.GetUtcNow();
        var current = state.State.Workspace;
        var next = current is null
            ? new WorkspaceInfo(this.GetPrimaryKeyString(), description, tags, now, now, 1)
            : current with { Description = description, Tags = tags, UpdatedAt = now, Revision = current.Revision + 1 };
        state.State.Workspace = next;
        await state.WriteStateAsync();
        if (current is null)
        {
            await Catalog.AddAsync(next.Name); // listed for backups
        }

        return next;
    }

    public async Task<bool> DeleteAsync()
    {
        if (state.State.Workspace is null)
        {
            return false;
        }

        await state.ClearStateAsync();
        await Catalog.RemoveAsync(this.GetPrimaryKeyString());
        return true;
    }

    private ICatalogGrain Catalog => GrainFactory.GetGrain<ICatalogGrain>(ICatalogGrain.Workspaces);
}
